// The error for a bad option value, shared by the optimizer and the schedules:
// "<what> option '<field>' must be <rule>, got <value>".
#pragma once

#include <sstream>
#include <string>

#include "core/status.h"

namespace ew::train {

inline Status option_error(const std::string& what, const std::string& field, const std::string& rule, double got) {
  std::ostringstream v;
  v << got;
  return invalid_argument(what + " option '" + field + "' must be " + rule + ", got " + v.str());
}

}  // namespace ew::train
