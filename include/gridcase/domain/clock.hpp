#pragma once

#include "gridcase/domain/time.hpp"

namespace gridcase::domain {

/// The current time, injected: the domain never reads a clock itself (tests use a fixed one).
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp now() const = 0;
};

}  // namespace gridcase::domain
