#pragma once

namespace gridcase::storage {

/// Call inside a catch block: rethrows the current exception as domain::Error. Sets
/// `connection_lost` when the connection must not be reused. SQL details go to the log only.
[[noreturn]] void rethrow_as_domain_error(bool& connection_lost);

}  // namespace gridcase::storage
