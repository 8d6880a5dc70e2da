// kernels_bench: reference kernel vs fast kernel, per op, on the shapes
// tiny_bert (seq 32 and 128, hidden 128, 4 heads, FFN 512) and
// super_resolution use, plus a 512^3 GEMM. Prints a markdown table of the best
// time per call in ms (the machine is shared: the minimum filters out
// preemption) and, for GEMMs, GFLOP/s.
//
//   kernels_bench [--reps N] [--filter SUBSTRING]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <pthreadpool.h>

#include "ops/fast/sgemm.h"
#include "ops/op.h"

namespace {

using namespace ew;

struct Case {
  std::string label;
  std::string op_type, kernel;
  std::vector<Shape> inputs;
  std::vector<bool> constant;
  std::map<std::string, Attribute> attributes;
  int64_t opset = 17;
  double flops = 0;  // per call, for GFLOP/s
};

Tensor random_tensor(const Shape& s, uint32_t seed) {
  Tensor t = Tensor::create(DType::kFloat32, s).value();
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> d(-1, 1);
  for (int64_t i = 0; i < t.numel(); ++i) t.data<float>()[i] = d(rng);
  return t;
}

double best_ms(int reps, const std::function<void()>& fn) {
  fn();  // warm up
  std::vector<double> t;
  for (int i = 0; i < reps; ++i) {
    auto a = std::chrono::steady_clock::now();
    fn();
    t.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - a).count());
  }
  return *std::min_element(t.begin(), t.end());
}

struct Bound {
  Node node;
  std::vector<Tensor> inputs, outputs;
  std::vector<const Tensor*> ptrs;
  std::vector<ValueType> in_types, out_types;
};

Bound bind(const Case& c) {
  Bound b;
  b.node.name = c.label;
  b.node.op_type = c.op_type;
  b.node.attributes = c.attributes;
  b.node.outputs = {"y"};
  for (size_t i = 0; i < c.inputs.size(); ++i) {
    b.inputs.push_back(random_tensor(c.inputs[i], 17 + i));
    b.node.inputs.push_back("x" + std::to_string(i));
  }
  for (const Tensor& t : b.inputs) {
    b.ptrs.push_back(&t);
    b.in_types.push_back(ValueType::of(t.dtype(), t.shape()));
  }
  std::vector<const ValueType*> tp;
  for (const ValueType& t : b.in_types) tp.push_back(&t);
  InferContext ic(b.node, c.opset, tp, b.ptrs);
  const OpDef* def = OpRegistry::find("", c.op_type, c.opset);
  if (!def->infer(ic).is_ok()) std::abort();
  b.out_types = ic.output_types();
  for (const ValueType& t : b.out_types) b.outputs.push_back(Tensor::create(t.dtype, t.concrete_shape()).value());
  return b;
}

std::unique_ptr<PreparedKernel> prepare(const Case& c, Bound& b, pthreadpool_t pool) {
  for (const FastKernelDef* d : FastKernels::find("", c.op_type, c.opset)) {
    if (d->name != c.kernel) continue;
    std::vector<const Tensor*> values;
    for (size_t i = 0; i < b.inputs.size(); ++i) values.push_back(i < c.constant.size() && c.constant[i] ? &b.inputs[i] : nullptr);
    PrepareContext pc{b.node, c.opset, b.in_types, values, b.out_types, pool};
    auto k = d->prepare(pc);
    if (k.is_ok()) return std::move(k).value();
  }
  return nullptr;
}

std::string gflops(double flops, double ms) {
  if (flops == 0) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", flops / (ms * 1e6));
  return buf;
}

void run_case(const Case& c, int reps, pthreadpool_t pool2) {
  Bound b = bind(c);
  const OpDef* def = OpRegistry::find("", c.op_type, c.opset);
  auto run_ref = [&] {
    KernelContext kc(b.node, c.opset, b.ptrs, &b.outputs, nullptr, nullptr);
    (void)def->run(kc);
  };
  auto k1 = prepare(c, b, nullptr);
  auto k2 = prepare(c, b, pool2);
  if (!k1 || !k2) {
    std::printf("| %s | (fast kernel declined) |\n", c.label.c_str());
    return;
  }
  auto run_fast = [&](PreparedKernel* k, pthreadpool_t pool) {
    KernelContext kc(b.node, c.opset, b.ptrs, &b.outputs, nullptr, pool);
    (void)k->run(kc);
  };
  const double ref = best_ms(std::max(3, reps / 10), run_ref);
  const double f1 = best_ms(reps, [&] { run_fast(k1.get(), nullptr); });
  const double f2 = best_ms(reps, [&] { run_fast(k2.get(), pool2); });
  std::printf("| %s | %.4f | %.4f | %.4f | %.1fx | %s | %s | %s |\n", c.label.c_str(), ref, f1, f2, ref / f1,
              gflops(c.flops, ref).c_str(), gflops(c.flops, f1).c_str(), gflops(c.flops, f2).c_str());
}

Case matmul(const std::string& label, Shape a, Shape b, bool b_const) {
  Case c{label, "MatMul", "sgemm", {a, b}, {false, b_const}};
  int64_t batch = 1;
  for (size_t i = 0; i + 2 < a.size(); ++i) batch *= a[i];
  c.flops = 2.0 * batch * a[a.size() - 2] * a.back() * b.back();
  return c;
}

std::vector<Case> cases() {
  std::vector<Case> out;
  out.push_back(matmul("MatMul 512x512x512 (const B)", {512, 512}, {512, 512}, true));
  out.push_back(matmul("MatMul 512x512x512 (dynamic B)", {512, 512}, {512, 512}, false));
  for (int64_t S : {32, 128}) {
    const std::string s = " S=" + std::to_string(S);
    out.push_back(matmul("MatMul QKV/out proj [1,S,128]x[128,128]" + s, {1, S, 128}, {128, 128}, true));
    out.push_back(matmul("MatMul FFN up [1,S,128]x[128,512]" + s, {1, S, 128}, {128, 512}, true));
    out.push_back(matmul("MatMul FFN down [1,S,512]x[512,128]" + s, {1, S, 512}, {512, 128}, true));
    out.push_back(matmul("MatMul Q*K^T [1,4,S,32]x[1,4,32,S]" + s, {1, 4, S, 32}, {1, 4, 32, S}, false));
    out.push_back(matmul("MatMul P*V [1,4,S,S]x[1,4,S,32]" + s, {1, 4, S, S}, {1, 4, S, 32}, false));
    out.push_back({"Softmax [1,4,S,S]" + s, "Softmax", "softmax_rows", {{1, 4, S, S}}, {}, {}, 13});
    out.push_back({"LayerNormalization [1,S,128]" + s, "LayerNormalization", "layer_norm_rows",
                   {{1, S, 128}, {128}, {128}}, {false, true, true}});
    out.push_back({"Erf [1,S,512]" + s, "Erf", "erf_vec", {{1, S, 512}}, {}, {}, 13});
    out.push_back({"Add bias [1,S,128]+[128]" + s, "Add", "binary_loops", {{1, S, 128}, {128}}, {false, true}, {}, 14});
    out.push_back({"Add mask [1,4,S,S]+[1,1,1,S]" + s, "Add", "binary_loops", {{1, 4, S, S}, {1, 1, 1, S}}, {}, {}, 14});
    out.push_back({"Mul scalar [1,S,512]*[]" + s, "Mul", "binary_loops", {{1, S, 512}, {}}, {}, {}, 14});
    out.push_back({"Transpose (0,2,1,3) [1,S,4,32]" + s, "Transpose", "transpose_tiles", {{1, S, 4, 32}}, {},
                   {{"perm", Attribute::make_ints({0, 2, 1, 3})}}});
    out.push_back({"Transpose (0,2,3,1) [1,S,4,32]" + s, "Transpose", "transpose_tiles", {{1, S, 4, 32}}, {},
                   {{"perm", Attribute::make_ints({0, 2, 3, 1})}}});
  }
  Case g{"Gemm pooler [1,128]x[128,128]^T+b", "Gemm", "sgemm", {{1, 128}, {128, 128}, {128}}, {false, true, true},
         {{"transB", Attribute::make_int(1)}}, 13};
  g.flops = 2.0 * 128 * 128;
  out.push_back(g);
  out.push_back({"Transpose pixel shuffle [1,1,3,3,224,224]", "Transpose", "transpose_tiles",
                 {{1, 1, 3, 3, 224, 224}}, {}, {{"perm", Attribute::make_ints({0, 1, 4, 2, 5, 3})}}});
  out.push_back({"Transpose NCHW->NHWC [1,64,56,56]", "Transpose", "transpose_tiles", {{1, 64, 56, 56}}, {},
                 {{"perm", Attribute::make_ints({0, 2, 3, 1})}}});
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  int reps = 200;
  std::string filter;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--reps")) reps = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--filter")) filter = argv[i + 1];
  }
  pthreadpool_t pool2 = pthreadpool_create(2);
  std::printf("sgemm microkernel: %s; best of %d calls (reference: %d)\n\n", ew::fast::sgemm_kernel_name(), reps,
              std::max(3, reps / 10));
  std::printf("| case | reference ms | fast 1T ms | fast 2T ms | speedup 1T | ref GFLOP/s | 1T GFLOP/s | 2T GFLOP/s |\n");
  std::printf("|---|---|---|---|---|---|---|---|\n");
  for (const Case& c : cases())
    if (filter.empty() || c.label.find(filter) != std::string::npos) run_case(c, reps, pool2);
  pthreadpool_destroy(pool2);
  return 0;
}
