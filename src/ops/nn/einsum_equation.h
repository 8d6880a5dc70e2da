// Einsum equation parsing: terms of letters with at most one "..." each,
// explicit ("ij,jk->ik") or implicit ("ij,jk") output. Every axis gets a
// label id: letters map to 0..51, ellipsis axes (right-aligned across
// operands, numpy style) to 52.. .
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "core/status.h"

namespace ew {

struct EinsumEquation {
  std::vector<std::vector<int>> inputs;  // label per axis of each operand
  std::vector<int> output;               // label per output axis
  int num_labels = 0;                    // 52 + number of ellipsis axes
};

namespace einsum_detail {

inline int letter_label(char c) {
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= 'A' && c <= 'Z') return c - 'A';
  return -1;
}

// Parses one term; `ellipsis_at` gets the position of "..." among the labels (-1 if none).
inline Status parse_term(const std::string& term, std::vector<int>* labels, int* ellipsis_at) {
  *ellipsis_at = -1;
  for (size_t i = 0; i < term.size(); ++i) {
    if (term[i] == '.') {
      if (*ellipsis_at >= 0 || term.compare(i, 3, "...") != 0)
        return invalid_argument("malformed ellipsis in einsum term '" + term + "'");
      *ellipsis_at = static_cast<int>(labels->size());
      i += 2;
      continue;
    }
    int l = letter_label(term[i]);
    if (l < 0) return invalid_argument(std::string("invalid einsum label '") + term[i] + "'");
    labels->push_back(l);
  }
  return Status::ok();
}

// Replaces the ellipsis of a term with `count` labels, right-aligned among `max_count`.
inline void expand_ellipsis(std::vector<int>* labels, int at, int count, int max_count) {
  if (at < 0) return;
  std::vector<int> e;
  for (int k = max_count - count; k < max_count; ++k) e.push_back(52 + k);
  labels->insert(labels->begin() + at, e.begin(), e.end());
}

}  // namespace einsum_detail

// Parses `equation` for operands of the given ranks.
inline Result<EinsumEquation> parse_einsum(const std::string& equation, const std::vector<int64_t>& ranks) {
  using namespace einsum_detail;
  std::string eq;
  for (char c : equation)
    if (c != ' ') eq += c;
  const size_t arrow = eq.find("->");
  const std::string lhs = eq.substr(0, arrow);
  std::vector<std::string> terms(1);
  for (char c : lhs) {
    if (c == ',') terms.emplace_back();
    else terms.back() += c;
  }
  if (terms.size() != ranks.size())
    return invalid_argument("einsum equation has " + std::to_string(terms.size()) + " terms for " +
                            std::to_string(ranks.size()) + " inputs");
  EinsumEquation r;
  std::vector<int> at(terms.size()), count(terms.size());
  int max_count = 0;
  r.inputs.resize(terms.size());
  for (size_t k = 0; k < terms.size(); ++k) {
    EW_RETURN_IF_ERROR(parse_term(terms[k], &r.inputs[k], &at[k]));
    int64_t extra = ranks[k] - static_cast<int64_t>(r.inputs[k].size());
    if (extra < 0 || (at[k] < 0 && extra != 0) || extra > 64)
      return invalid_argument("einsum term '" + terms[k] + "' does not match operand rank " + std::to_string(ranks[k]));
    count[k] = static_cast<int>(extra);
    max_count = std::max(max_count, count[k]);
  }
  for (size_t k = 0; k < terms.size(); ++k) expand_ellipsis(&r.inputs[k], at[k], count[k], max_count);
  r.num_labels = 52 + max_count;
  if (arrow != std::string::npos) {
    int out_at;
    EW_RETURN_IF_ERROR(parse_term(eq.substr(arrow + 2), &r.output, &out_at));
    expand_ellipsis(&r.output, out_at, max_count, max_count);
    std::vector<int> seen(r.num_labels, 0);
    for (const auto& in : r.inputs)
      for (int l : in) seen[l] = 1;
    for (int l : r.output) {
      if (seen[l] == 0) return invalid_argument("einsum output label does not appear in any input");
      if (seen[l] == 2) return invalid_argument("einsum output repeats a label");
      seen[l] = 2;
    }
    return r;
  }
  std::vector<int> uses(r.num_labels, 0);
  for (const auto& in : r.inputs)
    for (int l : in) ++uses[l];
  for (int k = 0; k < max_count; ++k) r.output.push_back(52 + k);
  for (int l = 0; l < 52; ++l)
    if (uses[l] == 1) r.output.push_back(l);
  return r;
}

}  // namespace ew
