// Fuzzes loading and running: a fuzzed model that loads is run once on
// deterministic random inputs (small ones only), so every kernel meets
// fuzzed attributes and shapes under ASan/UBSan.
#include "model_run_one.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ew::fuzz::run_fuzzed_model(data, size);
  return 0;
}
