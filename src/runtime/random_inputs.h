// Deterministic random inputs for a session's declared inputs, for smoke
// runs and benchmarks when the user gives none.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "runtime/session.h"

namespace ew {

// Floats uniform in [-1, 1); integers in [0, 10); bools 50/50. Symbolic dims
// take `dims[symbol]`, else `default_dim`. Same seed, same tensors.
Result<std::map<std::string, Tensor>> random_inputs(const Session& session,
                                                    const std::map<std::string, int64_t>& dims = {},
                                                    int64_t default_dim = 1, uint64_t seed = 42);

}  // namespace ew
