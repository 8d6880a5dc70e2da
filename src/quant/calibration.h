// Calibration: stream sample inputs through the float model and record the
// range of chosen tensors with observers whose memory does not grow with the
// number of samples.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/tensor.h"
#include "ir/graph.h"

namespace ew::quant {

// A stream of model inputs (name -> tensor), one sample or one batch at a time.
class CalibrationSource {
 public:
  virtual ~CalibrationSource() = default;
  // Number of samples it will yield (after the count cap), or -1 if unknown.
  virtual int size() const = 0;
  // Fills `inputs` with the next sample; returns false at the end.
  virtual Result<bool> next(std::map<std::string, Tensor>& inputs) = 0;
  // Starts again from the first sample.
  virtual Status rewind() = 0;
};

// Opens `spec`: a .npy file (first axis = samples, fed to the model's single
// input), an .npz (one array per input name, first axis = samples), a folder
// holding test_data_set_N folders, or a dataset name ("fashion-mnist": the
// training split of Debian's dataset-fashion-mnist, pixels scaled to [0,1],
// N×1×28×28). `count` > 0 caps the number of samples.
Result<std::unique_ptr<CalibrationSource>> open_calibration_source(const std::string& spec, const Model& model,
                                                                   int count);

enum class CalibrationMethod { kMinMax, kPercentile, kEntropy };
Result<CalibrationMethod> calibration_method_from_name(const std::string& name);  // minmax|percentile|entropy
const char* calibration_method_name(CalibrationMethod m);

struct TensorRange {
  float min = 0.0f, max = 0.0f;
};
using RangeMap = std::map<std::string, TensorRange>;

struct CalibrationOptions {
  int version = 1;
  CalibrationMethod method = CalibrationMethod::kPercentile;
  double percentile = 99.99;  // share of values kept inside the range, for kPercentile
  int bins = 2048;            // histogram bins for kPercentile and kEntropy
  int quant_levels = 256;     // levels of the target type, for kEntropy (KL divergence, TensorRT-style)
  int threads = 1;
  // Called after every sample with (done, total or -1).
  std::function<void(int, int)> progress;
};

// Every float32 graph input and node output of the main graph, in graph
// order: what to calibrate when any layer may end up float (a layer kept float
// changes which tensors the others quantize).
std::vector<std::string> float_tensors(const Model& model);

// Runs the float `model` over every sample of `data` (unoptimized, so value
// names are the model's own) and returns the range of each of `tensors`
// (graph inputs or node outputs, in the main graph or in If/Loop/Scan bodies).
//
// Ranges are keyed by value name alone, wherever the value lives: every run of
// a body (each Loop/Scan iteration, each If branch taken) feeds the same
// observer, so a body tensor's range covers all iterations. A body value whose
// name repeats one elsewhere in the model (sibling bodies may reuse names;
// shadowing an enclosing name breaks ONNX's rules but is tolerated) shares
// that range: the values are merged, which widens the range but never clips
// either. A body tensor that was never computed (its body never ran on the
// samples) gets no range; a main-graph tensor that was never computed is an
// error.
Result<RangeMap> calibrate(const Model& model, CalibrationSource& data, const std::vector<std::string>& tensors,
                           const CalibrationOptions& options);

}  // namespace ew::quant
