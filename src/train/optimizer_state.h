// What the optimizer kinds share about their named state (optimizer.h):
// int64 step counters as scalar tensors, deep copies, and the checks
// load_state makes on untrusted maps (from a checkpoint file).
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "core/tensor.h"

namespace ew::train {

// An int64 scalar tensor holding `v` (undefined if even 8 bytes cannot be
// allocated: a checkpoint writer then reports it rather than the library aborting).
Tensor step_tensor(int64_t v);
// The value of an int64 scalar entry >= 0; the error names `key`.
Result<int64_t> read_step(const Tensor& t, const std::string& key);
// A float32 entry of any shape, deep-copied; the error names `key`.
Result<Tensor> read_float_state(const Tensor& t, const std::string& key);
// Splits "prefix/param" into prefix and param; false without a '/' or with an empty part.
bool split_state_key(const std::string& key, std::string* prefix, std::string* param);
// Copy-on-write for state tensors: state() hands out shallow copies (no
// allocation, cannot fail); before writing, step() gives a tensor whose buffer
// someone else still holds a private copy, so a snapshot never changes.
Status own_buffer(Tensor& t);

}  // namespace ew::train
