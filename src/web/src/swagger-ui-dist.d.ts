// swagger-ui-dist ships no types; this page uses only the options below.
declare module "swagger-ui-dist/swagger-ui-bundle.js" {
  interface SwaggerUIOptions {
    url: string;
    dom_id: string;
    deepLinking?: boolean;
    validatorUrl?: string | null;
    persistAuthorization?: boolean;
    docExpansion?: "list" | "full" | "none";
    defaultModelsExpandDepth?: number;
    displayRequestDuration?: boolean;
  }
  export default function SwaggerUIBundle(options: SwaggerUIOptions): unknown;
}
