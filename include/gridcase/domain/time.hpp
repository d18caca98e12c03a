#pragma once

#include <chrono>

namespace gridcase::domain {

/// An instant in UTC with millisecond precision: how every stored time is kept (epoch ms in SQL).
/// The domain never reads the clock; the current time always comes in as a parameter.
using Timestamp = std::chrono::sys_time<std::chrono::milliseconds>;

/// A wall-clock time in the deployment's fixed local offset (WorkCalendar converts).
using LocalTimestamp = std::chrono::local_time<std::chrono::milliseconds>;

}  // namespace gridcase::domain
