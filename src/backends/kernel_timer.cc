#include "backends/kernel_timer.h"

#include "backends/backend.h"

#include <algorithm>
#include <chrono>
#include <map>

namespace ew {

namespace {

// Values in [-1, 1) for floats, small non-negative integers otherwise: no
// denormals, no overflow, valid indices for small gathers.
void fill(Tensor& t, uint32_t seed) {
  uint32_t state = seed * 2654435761u + 12345u;
  auto next = [&] { return state = state * 1664525u + 1013904223u; };
  if (t.dtype() == DType::kFloat32) {
    float* p = t.data<float>();
    for (int64_t i = 0; i < t.numel(); ++i) p[i] = static_cast<float>(next() >> 8) / 8388608.0f - 1.0f;
    return;
  }
  if (dtype_size(t.dtype()) != 1) return;  // wider integers stay zero
  auto* p = static_cast<uint8_t*>(t.raw());
  for (size_t i = 0; i < t.nbytes(); ++i) p[i] = static_cast<uint8_t>((next() >> 24) & 0x3f);
}

Result<Tensor> tensor_for(const TypeLookup& types, const std::string& name) {
  const ValueType* t = types.type(name);
  if (!t || !t->fully_known()) return unsupported("'" + name + "' has no static type");
  return Tensor::create(t->dtype, t->concrete_shape());
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

struct Bound {
  std::vector<const Tensor*> in;
  std::vector<Tensor> out;
};

}  // namespace

Result<KernelTiming> time_steps(const std::vector<TimedStep>& steps, const TypeLookup& types,
                                pthreadpool_t threadpool) {
  std::map<std::string, Tensor> values;
  uint32_t seed = 1;
  for (const TimedStep& s : steps) {
    for (const auto& name : s.inputs) {
      if (name.empty() || values.count(name)) continue;
      if (const Tensor* c = types.constant(name)) {
        values[name] = *c;
        continue;
      }
      EW_ASSIGN_OR_RETURN(Tensor t, tensor_for(types, name));
      fill(t, seed++);
      values[name] = std::move(t);
    }
    for (const auto& name : s.outputs) {
      if (name.empty()) continue;
      EW_ASSIGN_OR_RETURN(values[name], tensor_for(types, name));
    }
  }
  std::vector<Bound> bound(steps.size());
  for (size_t k = 0; k < steps.size(); ++k) {
    for (const auto& name : steps[k].inputs) bound[k].in.push_back(name.empty() ? nullptr : &values[name]);
    for (const auto& name : steps[k].outputs) bound[k].out.push_back(name.empty() ? Tensor() : values[name]);
  }
  // As ExecutionPlan::run: the pool sleeps before a backend with threads of its
  // own. Whatever ran before (preparing kernels, another candidate) may have
  // left its workers spinning, so the first such step quiesces it too.
  bool pool_active = true;
  auto run_all = [&]() -> Status {
    for (size_t k = 0; k < steps.size(); ++k) {
      const TimedStep& s = steps[k];
      if (s.own_threads && !s.single_thread && pool_active) quiesce_threadpool(threadpool);
      if (!s.single_thread) pool_active = !s.own_threads;
      KernelContext ctx(*s.node, s.opset, &bound[k].in, &bound[k].out, nullptr, s.single_thread ? nullptr : threadpool);
      EW_RETURN_IF_ERROR(s.kernel->run(ctx));
    }
    return Status::ok();
  };
  // Warm up (first touch of buffers, lazily generated code), then time at
  // least three runs and about 3 ms.
  auto start = std::chrono::steady_clock::now();
  EW_RETURN_IF_ERROR(run_all());
  const double first = seconds_since(start);
  const int runs = std::clamp(static_cast<int>(3e-3 / std::max(first, 1e-6)), 3, 25);
  std::vector<double> times;
  for (int r = 0; r < runs; ++r) {
    start = std::chrono::steady_clock::now();
    EW_RETURN_IF_ERROR(run_all());
    times.push_back(seconds_since(start));
  }
  quiesce_threadpool(threadpool);  // what runs next is timed alone
  // The fastest run: interference from the rest of the machine only ever adds time.
  return KernelTiming{*std::min_element(times.begin(), times.end()), runs};
}

}  // namespace ew
