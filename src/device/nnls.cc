#include "device/nnls.h"

#include <algorithm>
#include <cmath>

namespace ew {
namespace {

using Matrix = std::vector<std::vector<double>>;

// Solves M[P,P] s = v[P] by Cholesky (M symmetric positive semi-definite, ridge added); s is full length, 0 off P.
std::vector<double> solve_subset(const Matrix& m, const std::vector<double>& v, const std::vector<char>& in_p) {
  std::vector<size_t> p;
  for (size_t i = 0; i < in_p.size(); ++i)
    if (in_p[i]) p.push_back(i);
  size_t k = p.size();
  std::vector<double> l(k * k, 0.0), y(k, 0.0), s(in_p.size(), 0.0);
  double trace = 0;
  for (size_t i : p) trace += m[i][i];
  const double ridge = 1e-10 * (k ? trace / static_cast<double>(k) : 1.0) + 1e-300;
  for (size_t i = 0; i < k; ++i) {
    for (size_t j = 0; j <= i; ++j) {
      double sum = m[p[i]][p[j]] + (i == j ? ridge : 0.0);
      for (size_t t = 0; t < j; ++t) sum -= l[i * k + t] * l[j * k + t];
      if (i == j) l[i * k + i] = std::sqrt(std::max(sum, 1e-300));
      else l[i * k + j] = sum / l[j * k + j];
    }
  }
  for (size_t i = 0; i < k; ++i) {
    double sum = v[p[i]];
    for (size_t t = 0; t < i; ++t) sum -= l[i * k + t] * y[t];
    y[i] = sum / l[i * k + i];
  }
  for (size_t i = k; i-- > 0;) {
    double sum = y[i];
    for (size_t t = i + 1; t < k; ++t) sum -= l[t * k + i] * s[p[t]];
    s[p[i]] = sum / l[i * k + i];
  }
  return s;
}

}  // namespace

std::vector<double> solve_nnls(const std::vector<std::vector<double>>& rows, const std::vector<double>& b) {
  const size_t n = rows.empty() ? 0 : rows[0].size();
  Matrix ata(n, std::vector<double>(n, 0.0));
  std::vector<double> atb(n, 0.0);
  for (size_t r = 0; r < rows.size(); ++r)
    for (size_t i = 0; i < n; ++i) {
      if (rows[r][i] == 0) continue;
      atb[i] += rows[r][i] * b[r];
      for (size_t j = 0; j < n; ++j) ata[i][j] += rows[r][i] * rows[r][j];
    }
  std::vector<double> x(n, 0.0);
  std::vector<char> in_p(n, 0);
  double scale = 0;
  for (double v : atb) scale = std::max(scale, std::fabs(v));
  const double tol = 1e-12 * std::max(scale, 1e-300);
  auto gradient = [&] {
    std::vector<double> w(n);
    for (size_t i = 0; i < n; ++i) {
      w[i] = atb[i];
      for (size_t j = 0; j < n; ++j) w[i] -= ata[i][j] * x[j];
    }
    return w;
  };
  for (size_t outer = 0; outer < 3 * n + 10; ++outer) {
    std::vector<double> w = gradient();
    size_t best = n;
    for (size_t i = 0; i < n; ++i)
      if (!in_p[i] && w[i] > tol && (best == n || w[i] > w[best])) best = i;
    if (best == n) break;
    in_p[best] = 1;
    std::vector<double> s = solve_subset(ata, atb, in_p);
    for (size_t inner = 0; inner < 3 * n + 10; ++inner) {
      double alpha = 2;
      for (size_t i = 0; i < n; ++i)
        if (in_p[i] && s[i] <= 0) alpha = std::min(alpha, x[i] / std::max(x[i] - s[i], 1e-300));
      if (alpha > 1) break;
      for (size_t i = 0; i < n; ++i) x[i] += alpha * (s[i] - x[i]);
      for (size_t i = 0; i < n; ++i)
        if (in_p[i] && x[i] <= 1e-15 * (std::fabs(x[i]) + 1)) in_p[i] = 0, x[i] = 0;
      s = solve_subset(ata, atb, in_p);
    }
    bool progressed = false;
    for (size_t i = 0; i < n; ++i) progressed |= s[i] != x[i];
    x = s;
    if (!progressed) break;
  }
  for (double& v : x) v = std::max(v, 0.0);
  return x;
}

}  // namespace ew
