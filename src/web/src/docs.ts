// The API reference at /api/v1/docs: Swagger UI reading the document the server serves
// (/api/v1/openapi.yaml, the same docs/openapi.yaml the tests validate every answer against).
// Everything comes from the server itself: no CDN, no validator service, no fonts from outside.
import SwaggerUIBundle from "swagger-ui-dist/swagger-ui-bundle.js";
import "swagger-ui-dist/swagger-ui.css";
import "./docs.css";

SwaggerUIBundle({
  url: "/api/v1/openapi.yaml",
  dom_id: "#reference",
  deepLinking: true,
  // The default asks validator.swagger.io about the document; this page talks to its server only.
  validatorUrl: null,
  // "Try it out" sends real requests with the token given under Authorize; the token is not
  // kept after the page closes.
  persistAuthorization: false,
  docExpansion: "list",
  defaultModelsExpandDepth: 0,
  displayRequestDuration: true,
});
