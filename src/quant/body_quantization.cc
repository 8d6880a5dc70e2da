#include "quant/body_quantization.h"

#include "ir/body_rewrite.h"

namespace ew::quant {
namespace {

// "<path>/<node>" -> "<node>", or "" when `name` is not under `path`.
std::string under(const std::string& name, const std::string& path) {
  const std::string prefix = path + "/";
  if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) return "";
  return name.substr(prefix.size());
}

}  // namespace

std::vector<std::string> body_names(const std::vector<std::string>& names, const std::string& path) {
  std::vector<std::string> out;
  for (const auto& n : names) {
    const std::string local = under(n, path);
    out.push_back(local.empty() ? n : local);
  }
  return out;
}

QuantizeOptions body_options(const QuantizeOptions& options, const std::string& path) {
  QuantizeOptions o = options;
  o.exclude = body_names(options.exclude, path);
  o.keep_first_last = false;
  for (const auto& [name, bits] : options.layer_bits) {
    const std::string local = under(name, path);
    if (!local.empty()) o.layer_bits[local] = bits;
  }
  return o;
}

Status quantize_bodies(Model& model, const QuantizeOptions& options, const GraphQuantizer& quantize,
                       std::vector<LayerQuantReport>* layers) {
  BodyRewriteOptions ro;
  ro.lend_outer_initializers = true;
  return rewrite_bodies(model, ro, [&](Model& body, const std::string& path) -> Status {
    std::vector<LayerQuantReport> found;
    EW_RETURN_IF_ERROR(quantize(body, body_options(options, path), found));
    if (!layers) return Status::ok();
    for (auto& l : found) {
      l.node = scoped_name(path, l.node);
      layers->push_back(std::move(l));
    }
    return Status::ok();
  });
}

}  // namespace ew::quant
