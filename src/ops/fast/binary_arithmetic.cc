// Fast fp32 Add / Sub / Mul / Div with numpy broadcasting. At prepare the
// broadcast is reduced to a few loops: dims of size 1 are dropped and
// neighbouring dims where the same operands advance are merged, so a bias add
// [1,S,H] + [H] becomes [S] x [H] and an attention mask add [1,4,S,S] +
// [1,1,1,S] becomes [4*S] x [S]. The innermost loop is vector-vector,
// vector-scalar or scalar-vector and compiled for AVX2 when the CPU has it.
#include <algorithm>
#include <vector>

#include "ops/fast/prepare_util.h"
#include "ops/fast/vec_math.h"

namespace ew::fast {
namespace {

enum class Op { kAdd, kSub, kMul, kDiv };

template <Op op>
inline float apply(float a, float b) {
  if constexpr (op == Op::kAdd) return a + b;
  if constexpr (op == Op::kSub) return a - b;
  if constexpr (op == Op::kMul) return a * b;
  return a / b;
}

// y[i] = a[i * sa] op b[i * sb] for sa, sb in {0, 1}, written as three loops
// so each one vectorizes.
template <Op op>
inline void inner(const float* __restrict a, int64_t sa, const float* __restrict b, int64_t sb, float* __restrict y,
                  int64_t n) {
  if (sa && sb) {
    for (int64_t i = 0; i < n; ++i) y[i] = apply<op>(a[i], b[i]);
  } else if (sa) {
    const float s = b[0];
    for (int64_t i = 0; i < n; ++i) y[i] = apply<op>(a[i], s);
  } else if (sb) {
    const float s = a[0];
    for (int64_t i = 0; i < n; ++i) y[i] = apply<op>(s, b[i]);
  } else {
    const float s = apply<op>(a[0], b[0]);
    for (int64_t i = 0; i < n; ++i) y[i] = s;
  }
}

#ifdef EW_VEC_MATH_X86
template <Op op>
__attribute__((target("avx2,fma"))) void inner_avx2(const float* a, int64_t sa, const float* b, int64_t sb, float* y,
                                                    int64_t n) {
  inner<op>(a, sa, b, sb, y, n);
}
#endif

using InnerFn = void (*)(const float*, int64_t, const float*, int64_t, float*, int64_t);

template <Op op>
InnerFn pick_inner() {
#ifdef EW_VEC_MATH_X86
  if (cpu_has_avx2_fma()) return inner_avx2<op>;
#endif
  return inner<op>;
}

// Simplified broadcast: dims[last] is the inner loop; the others are outer.
struct Loops {
  std::vector<int64_t> dims, sa, sb;  // per dim: extent, element stride of a and b
};

Loops simplify(const Shape& a, const Shape& b, const Shape& out) {
  const size_t r = out.size();
  Loops l;
  int64_t stride_a = 1, stride_b = 1;
  std::vector<int64_t> ea(r), eb(r);
  for (size_t i = r; i-- > 0;) {
    const size_t ia = i + a.size() - r, ib = i + b.size() - r;  // may wrap when absent
    const int64_t da = i + a.size() >= r ? a[ia] : 1, db = i + b.size() >= r ? b[ib] : 1;
    ea[i] = da == 1 ? 0 : stride_a;
    eb[i] = db == 1 ? 0 : stride_b;
    stride_a *= da;
    stride_b *= db;
  }
  for (size_t i = 0; i < r; ++i) {
    if (out[i] == 1) continue;
    const bool same_kind = !l.dims.empty() && (l.sa.back() == 0) == (ea[i] == 0) && (l.sb.back() == 0) == (eb[i] == 0);
    if (same_kind) {
      l.dims.back() *= out[i];
      l.sa.back() = ea[i];
      l.sb.back() = eb[i];
    } else {
      l.dims.push_back(out[i]);
      l.sa.push_back(ea[i]);
      l.sb.push_back(eb[i]);
    }
  }
  if (l.dims.empty()) l = Loops{{1}, {0}, {0}};
  return l;
}

class BinaryKernel final : public PreparedKernel {
 public:
  Loops loops;
  InnerFn fn = nullptr;
  int64_t rows = 1;  // product of the outer dims

  Status run(KernelContext& ctx) override {
    if (ctx.output(0).numel() == 0) return Status::ok();
    Args args{this, ctx.input(0).data<float>(), ctx.input(1).data<float>(), ctx.output(0).data<float>(), 1};
    const int64_t n = loops.dims.back();
    args.rows_per_task = std::max<int64_t>(1, 32768 / n);
    const size_t tasks = static_cast<size_t>((rows + args.rows_per_task - 1) / args.rows_per_task);
    if (!ctx.threadpool() || tasks == 1) {
      for (size_t t = 0; t < tasks; ++t) run_task(&args, t);
    } else {
      pthreadpool_parallelize_1d(ctx.threadpool(), run_task, &args, tasks, 0);
    }
    return Status::ok();
  }

 private:
  struct Args {
    const BinaryKernel* k;
    const float* a;
    const float* b;
    float* y;
    int64_t rows_per_task;
  };

  static void run_task(void* arg, size_t task) {
    const Args& a = *static_cast<const Args*>(arg);
    const Loops& l = a.k->loops;
    const int last = static_cast<int>(l.dims.size()) - 1;
    const int64_t n = l.dims[last];
    const int64_t r0 = static_cast<int64_t>(task) * a.rows_per_task, r1 = std::min(a.k->rows, r0 + a.rows_per_task);
    for (int64_t row = r0; row < r1; ++row) {
      int64_t oa = 0, ob = 0, rest = row;
      for (int d = last - 1; d >= 0; --d) {
        const int64_t idx = rest % l.dims[d];
        rest /= l.dims[d];
        oa += idx * l.sa[d];
        ob += idx * l.sb[d];
      }
      a.k->fn(a.a + oa, l.sa[last] ? 1 : 0, a.b + ob, l.sb[last] ? 1 : 0, a.y + row * n, n);
    }
  }
};

template <Op op>
Prepared prepare_binary(const PrepareContext& ctx) {
  if (!is_f32(ctx, 0) || !is_f32(ctx, 1) || ctx.output_types.empty() || !ctx.output_types[0].fully_known())
    return not_handled();
  if (ctx.node.has_attr("broadcast") || ctx.node.has_attr("axis")) return not_handled();  // opset < 7 forms
  const Shape out = ctx.output_types[0].concrete_shape();
  auto k = std::make_unique<BinaryKernel>();
  k->loops = simplify(input_shape(ctx, 0), input_shape(ctx, 1), out);
  for (size_t d = 0; d + 1 < k->loops.dims.size(); ++d) k->rows *= k->loops.dims[d];
  k->fn = pick_inner<op>();
  return prepared(std::move(k));
}

}  // namespace

EW_REGISTER_FAST_KERNEL(.op_type = "Add", .since_version = 7, .name = "binary_loops", .prepare = prepare_binary<Op::kAdd>);
EW_REGISTER_FAST_KERNEL(.op_type = "Sub", .since_version = 7, .name = "binary_loops", .prepare = prepare_binary<Op::kSub>);
EW_REGISTER_FAST_KERNEL(.op_type = "Mul", .since_version = 7, .name = "binary_loops", .prepare = prepare_binary<Op::kMul>);
EW_REGISTER_FAST_KERNEL(.op_type = "Div", .since_version = 7, .name = "binary_loops", .prepare = prepare_binary<Op::kDiv>);

}  // namespace ew::fast
