// Quantizing inside If/Loop/Scan bodies. Every quantizer rewrites one graph
// at a time; quantize_bodies() runs that rewrite on each body in turn, lent
// out as the main graph of a scratch model (ir/body_rewrite.h):
//   - outer-scope initializers the body reads are copied in, so a weight kept
//     in an enclosing graph is quantized where the body uses it (the float
//     original is dropped when nothing reads it any more);
//   - the nodes and initializers a quantizer adds land inside the body, next
//     to the op, under names unique in the whole model;
//   - layers are reported as "<path>/<node>" ("If_0/then_branch/conv1",
//     "Loop_0/body/matmul"), and options name body nodes the same way.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "quant/quantize.h"

namespace ew::quant {

// `names` (node names or op types, as QuantizeOptions::exclude) as seen from
// the body at `path`: "<path>/<node>" becomes "<node>"; other entries are kept
// (a bare node name or op type applies wherever the node is).
std::vector<std::string> body_names(const std::vector<std::string>& names, const std::string& path);

// The options for the body at `path`: exclude as body_names(); layer_bits
// keyed "<path>/<node>" apply to <node> there and win over a bare "<node>";
// keep_first_last is for the main graph only.
QuantizeOptions body_options(const QuantizeOptions& options, const std::string& path);

// Quantizes one graph: `model.graph` (a lent body) with `options` already
// translated for it, appending a report per considered layer (named as in the
// body) to `layers`.
using GraphQuantizer =
    std::function<Status(Model& model, const QuantizeOptions& options, std::vector<LayerQuantReport>& layers)>;

// Runs `quantize` on every body of `model`, outer bodies first; appends the
// layers it reports to `layers` (when given) under their scoped names.
Status quantize_bodies(Model& model, const QuantizeOptions& options, const GraphQuantizer& quantize,
                       std::vector<LayerQuantReport>* layers);

}  // namespace ew::quant
