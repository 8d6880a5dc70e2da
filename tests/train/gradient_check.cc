#include "gradient_check.h"

#include <cmath>
#include <random>
#include <sstream>

#include "ops/shape_inference.h"
#include "runtime/session.h"
#include "train/gradient_builder.h"

namespace ew::train::test {
namespace {

// The forward model with one extra output first: Σ_k ReduceSum(out_k · R_k).
Model projected(const Model& forward, uint32_t seed) {
  Model m = deep_copy(forward);
  EXPECT_TRUE(infer_shapes(m).is_ok());
  std::vector<std::string> terms;
  int k = 0;
  for (const ValueInfo& o : forward.graph.outputs) {
    const ValueType* type = m.graph.find_type(o.name);
    if (!type || type->dtype != DType::kFloat32 || !type->fully_known()) continue;
    Shape s;
    for (const Dim& d : type->dims) s.push_back(d.value);
    std::string r = "check/R" + std::to_string(k), p = "check/p" + std::to_string(k), t = "check/t" + std::to_string(k);
    m.graph.initializers[r] = random_tensor(s, seed + 100 + static_cast<uint32_t>(k));
    m.graph.nodes.push_back(Node{"check/mul" + std::to_string(k), "Mul", "", {o.name, r}, {p}, {}});
    m.graph.nodes.push_back(Node{"check/sum" + std::to_string(k), "ReduceSum", "", {p}, {t}, {{"keepdims", Attribute::make_int(0)}}});
    terms.push_back(t);
    ++k;
  }
  EXPECT_FALSE(terms.empty()) << "no float output of known shape to check";
  std::string loss = terms.size() == 1 ? terms[0] : "check/loss";
  if (terms.size() > 1) m.graph.nodes.push_back(Node{"check/total", "Sum", "", terms, {loss}, {}});
  m.graph.outputs = {ValueInfo{loss, ValueType::of(DType::kFloat32, {})}};
  return m;
}

std::vector<Tensor> feed(const TrainingGraph& tg, const GradCheckOptions& o, const std::map<std::string, Tensor>& values) {
  std::vector<Tensor> in;
  for (const ValueInfo& v : tg.model.graph.inputs) {
    if (v.name == tg.dropout_seed) {
      in.push_back(Tensor::scalar<int64_t>(7).value());
    } else if (auto it = o.inputs.find(v.name); it != o.inputs.end()) {
      in.push_back(it->second);
    } else {
      in.push_back(values.at(v.name));
    }
  }
  return in;
}

}  // namespace

Tensor random_tensor(const Shape& shape, uint32_t seed, float lo, float hi, bool away_from_zero) {
  Tensor t = Tensor::create(DType::kFloat32, shape).value();
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(lo, hi);
  for (int64_t i = 0; i < t.numel(); ++i) {
    float v = u(rng);
    if (away_from_zero && std::fabs(v) < 0.1f) v = v < 0 ? v - 0.1f : v + 0.1f;
    t.data<float>()[i] = v;
  }
  return t;
}

namespace {

// Everything one check needs: the training graph, its session, the current
// parameter values and the analytic gradients at them.
struct Checker {
  const GradCheckOptions& o;
  TrainingGraph tg;
  std::unique_ptr<Session> session;
  std::map<std::string, Tensor> values;  // parameters and running statistics
  std::vector<Tensor> first;             // the unperturbed run: loss, prediction, gradients

  Result<double> loss() {
    std::vector<Tensor> r;
    EW_RETURN_IF_ERROR(session->run(feed(tg, o, values), r));
    return static_cast<double>(r[0].data<float>()[0]);
  }
  const Tensor& gradient(size_t p) const { return first[2 + p]; }
};

bool differs(double fd, double an, double scale, const GradCheckOptions& o) {
  return std::fabs(fd - an) > o.atol + o.rtol * scale;
}

// Up to `max_elements` positions of each parameter, one at a time.
Status check_elements(Checker& c, std::ostream& bad, int& checked, int& failed) {
  const GradCheckOptions& o = c.o;
  for (size_t p = 0; p < c.tg.parameters.size(); ++p) {
    const std::string& name = c.tg.parameters[p];
    Tensor& value = c.values[name];
    const int64_t n = value.numel();
    const int64_t step = std::max<int64_t>(1, n / o.max_elements);
    for (int64_t i = 0; i < n; i += step) {
      const float keep = value.data<float>()[i];
      double loss[2];
      for (int side = 0; side < 2; ++side) {
        value.data<float>()[i] = keep + (side ? -o.eps : o.eps);
        EW_ASSIGN_OR_RETURN(loss[side], c.loss());
      }
      value.data<float>()[i] = keep;
      const double fd = (loss[0] - loss[1]) / (2.0 * o.eps), an = c.gradient(p).data<float>()[i];
      ++checked;
      if (differs(fd, an, std::max(std::fabs(fd), std::fabs(an)), o) && ++failed <= 8)
        bad << "\n  " << name << "[" << i << "]: analytic " << an << ", finite difference " << fd;
    }
  }
  return Status::ok();
}

// Each parameter tensor moved as a whole along two unit directions: its own
// gradient (the derivative there must equal |g|) and a random one (g · r).
Status check_directions(Checker& c, std::ostream& bad, int& checked, int& failed) {
  const GradCheckOptions& o = c.o;
  for (size_t p = 0; p < c.tg.parameters.size(); ++p) {
    const std::string& name = c.tg.parameters[p];
    Tensor& value = c.values[name];
    const Tensor& g = c.gradient(p);
    const int64_t n = value.numel();
    double norm = 0;
    for (int64_t i = 0; i < n; ++i) norm += double(g.data<float>()[i]) * g.data<float>()[i];
    norm = std::sqrt(norm);
    const Tensor random = random_tensor(value.shape(), o.seed + 7 * static_cast<uint32_t>(p));
    for (int which = 0; which < 2; ++which) {
      std::vector<double> d(static_cast<size_t>(n));
      double len = 0, an = 0;
      for (int64_t i = 0; i < n; ++i) {
        d[i] = which == 0 && norm > 0 ? g.data<float>()[i] : random.data<float>()[i];
        len += d[i] * d[i];
      }
      len = std::sqrt(len);
      if (len == 0) continue;
      for (int64_t i = 0; i < n; ++i) an += g.data<float>()[i] * (d[i] /= len);
      const Tensor keep = value.clone().value();
      double loss[2];
      for (int side = 0; side < 2; ++side) {
        for (int64_t i = 0; i < n; ++i)
          value.data<float>()[i] = static_cast<float>(keep.data<float>()[i] + (side ? -o.eps : o.eps) * d[i]);
        EW_ASSIGN_OR_RETURN(loss[side], c.loss());
      }
      value = keep;
      const double fd = (loss[0] - loss[1]) / (2.0 * o.eps);
      ++checked;
      if (differs(fd, an, std::max(norm, std::fabs(fd)), o) && ++failed <= 8)
        bad << "\n  " << name << (which == 0 ? " along its gradient" : " along a random direction")
            << ": analytic " << an << ", finite difference " << fd;
    }
  }
  return Status::ok();
}

}  // namespace

::testing::AssertionResult check_gradients(const Model& forward, const GradCheckOptions& o) {
  TrainingGraphOptions to;
  to.loss.kind = "output";
  to.batch_norm_training = o.batch_norm_training;
  const Model proj = projected(forward, o.seed);
  auto tg = build_training_graph(proj, to);
  if (!tg.is_ok()) return ::testing::AssertionFailure() << "build_training_graph: " << tg.status().to_string();
  SessionOptions so;
  so.tuning_cache = "none";
  auto session = Session::create(tg->model, so);
  if (!session.is_ok()) return ::testing::AssertionFailure() << "session: " << session.status().to_string();
  Checker c{o, std::move(*tg), std::move(*session), {}, {}};
  for (const auto& [name, t] : proj.graph.initializers) c.values[name] = t.clone().value();
  Status s = c.session->run(feed(c.tg, o, c.values), c.first);
  if (!s.is_ok()) return ::testing::AssertionFailure() << "run: " << s.to_string();
  std::ostringstream bad;
  int checked = 0, failed = 0;
  s = o.directional ? check_directions(c, bad, checked, failed) : check_elements(c, bad, checked, failed);
  if (!s.is_ok()) return ::testing::AssertionFailure() << "run: " << s.to_string();
  if (checked == 0) return ::testing::AssertionFailure() << "no parameter was checked";
  if (failed) return ::testing::AssertionFailure() << failed << " of " << checked << " gradient checks differ:" << bad.str();
  return ::testing::AssertionSuccess() << checked << " checks passed";
}

}  // namespace ew::train::test
