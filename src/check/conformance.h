// Runs a folder of ONNX backend tests (each a model.onnx with
// test_data_set_N folders) and tallies pass / fail / unsupported per op.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "check/compare.h"
#include "core/status.h"
#include "runtime/session.h"

namespace ew {

enum class CaseOutcome { kPass, kFail, kUnsupported, kSkipped };
const char* case_outcome_name(CaseOutcome o);

struct CaseResult {
  std::string name;    // test folder name, e.g. "test_conv_with_strides_padding"
  std::string op;      // operator under test
  CaseOutcome outcome = CaseOutcome::kFail;
  std::string detail;  // error or mismatch description; skip reason
};

struct OpTally {
  int pass = 0, fail = 0, unsupported = 0, skipped = 0;
};

struct ConformanceReport {
  std::vector<CaseResult> cases;
  std::map<std::string, OpTally> per_op;
  OpTally total;
};

struct ConformanceOptions {
  Tolerance tolerance{1e-3, 1e-5, 0};
  std::map<std::string, std::string> skip;  // test name -> reason
  std::string filter;                        // substring a test name must contain
  std::function<void(const CaseResult&)> on_case;  // progress callback
  SessionOptions session;                          // e.g. a forced backend
};

// Reads a skip list: one "test_name  reason..." per line, '#' comments.
Result<std::map<std::string, std::string>> read_skip_list(const std::string& path);

// Runs one test folder.
CaseResult run_conformance_case(const std::string& test_dir, const ConformanceOptions& options);
// Runs every test folder under `root` in name order.
ConformanceReport run_conformance(const std::string& root, const ConformanceOptions& options);

// Markdown table: totals, then one row per op.
std::string conformance_markdown(const ConformanceReport& report, const std::string& command);

}  // namespace ew
