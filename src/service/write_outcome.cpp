#include "gridcase/service/write_outcome.hpp"

namespace gridcase::service {

Refusal refusal_of(const domain::Error& error) {
  return Refusal{error.code(), error.what(), error.details().fields,
                 error.details().allowed_actions};
}

domain::Error error_of(const Refusal& refusal) {
  return domain::Error(
      refusal.code, refusal.message,
      domain::ErrorDetails{.fields = refusal.fields, .allowed_actions = refusal.allowed_actions});
}

}  // namespace gridcase::service
