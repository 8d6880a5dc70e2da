#include "runtime/random_inputs.h"

#include <random>

namespace ew {

namespace {

void fill_random(Tensor& t, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> real(-1.0, 1.0);
  std::uniform_int_distribution<int> small(0, 9);
  visit_dtype(t.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    T* p = t.data<T>();
    for (int64_t i = 0; i < t.numel(); ++i) {
      if constexpr (std::is_same_v<T, bool>) p[i] = small(rng) % 2 == 0;
      else if constexpr (std::is_integral_v<T>) p[i] = static_cast<T>(small(rng));
      else p[i] = T(static_cast<compute_t<T>>(real(rng)));
    }
  });
}

}  // namespace

Result<std::map<std::string, Tensor>> random_inputs(const Session& session, const std::map<std::string, int64_t>& dims,
                                                    int64_t default_dim, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::map<std::string, Tensor> out;
  for (const auto& v : session.inputs()) {
    if (!v.type.has_shape) return invalid_argument("input '" + v.name + "' has no declared shape; give it with --input");
    Shape shape;
    for (const Dim& d : v.type.dims) {
      auto it = dims.find(d.symbol);
      shape.push_back(d.known() ? d.value : (it != dims.end() ? it->second : default_dim));
    }
    DType dt = v.type.dtype == DType::kUndefined ? DType::kFloat32 : v.type.dtype;
    auto t = Tensor::create(dt, shape);
    if (!t.is_ok()) return t.status().with_context("input '" + v.name + "': ");
    fill_random(*t, rng);
    out[v.name] = std::move(t).value();
  }
  return out;
}

}  // namespace ew
