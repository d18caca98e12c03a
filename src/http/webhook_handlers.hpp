#pragma once

#include "gridcase/http/server.hpp"
#include "router.hpp"

namespace gridcase::http {

// Webhooks and their deliveries (docs/integrations.md, "Webhooks"): district-wide admins only.
Handler create_webhook(const service::WebhookService& webhooks, std::size_t max_depth);
Handler list_webhooks(const service::WebhookService& webhooks);
Handler get_webhook(const service::WebhookService& webhooks);
Handler update_webhook(const service::WebhookService& webhooks, std::size_t max_depth);
Handler delete_webhook(const service::WebhookService& webhooks);
Handler list_webhook_deliveries(const service::WebhookService& webhooks);
Handler retry_webhook_delivery(const service::WebhookService& webhooks);
Handler retry_webhook_deliveries(const service::WebhookService& webhooks);

}  // namespace gridcase::http
