// A calibration source of deterministic random inputs for a model's declared
// inputs (runtime/random_inputs.h: floats uniform in [-1, 1), integers in
// [0, 10), symbolic dims 1): what the accuracy guard measures on when the
// user gave no calibration data.
#pragma once

#include <memory>

#include "quant/calibration.h"

namespace ew::quant {

Result<std::unique_ptr<CalibrationSource>> make_random_source(const Model& model, int samples);

}  // namespace ew::quant
