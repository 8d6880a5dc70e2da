#include "check/conformance.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "check/test_data.h"
#include "ir/onnx_import.h"
#include "runtime/session.h"

namespace ew {
namespace fs = std::filesystem;

const char* case_outcome_name(CaseOutcome o) {
  switch (o) {
    case CaseOutcome::kPass: return "pass";
    case CaseOutcome::kFail: return "fail";
    case CaseOutcome::kUnsupported: return "unsupported";
    case CaseOutcome::kSkipped: return "skipped";
  }
  return "?";
}

Result<std::map<std::string, std::string>> read_skip_list(const std::string& path) {
  std::ifstream in(path);
  if (!in) return not_found("cannot open skip list '" + path + "'");
  std::map<std::string, std::string> skip;
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    auto hash = line.find('#');
    if (hash == 0) continue;
    std::istringstream ss(line);
    std::string name, reason;
    if (!(ss >> name)) continue;
    std::getline(ss, reason);
    reason.erase(0, reason.find_first_not_of(" \t"));
    if (reason.empty())
      return invalid_argument(path + ":" + std::to_string(line_no) + ": skipped test '" + name + "' states no reason");
    skip[name] = reason;
  }
  return skip;
}

namespace {

// The op a node test exercises: the single node's type, or for multi-node
// (expanded / function-body) tests the op named by the test.
std::string op_under_test(const Model& m, const std::string& test_name) {
  const auto& nodes = m.graph.nodes;
  if (nodes.size() == 1) return nodes[0].op_type;
  if (test_name.find("_expanded") != std::string::npos) return "(expanded functions)";
  return nodes.empty() ? "(none)" : nodes.back().op_type;
}

CaseResult check_data_sets(const Session& session, const std::string& test_dir, const Tolerance& tol, CaseResult r) {
  auto sets = list_test_data_sets(test_dir);
  if (sets.empty()) {
    r.detail = "no test_data_set folders";
    return r;
  }
  for (const auto& dir : sets) {
    auto data = read_test_data_set(dir);
    if (!data.is_ok()) {
      r.outcome = data.status().code() == StatusCode::kUnsupported ? CaseOutcome::kUnsupported : CaseOutcome::kFail;
      r.detail = data.status().to_string();
      return r;
    }
    auto inputs = bind_inputs(session, *data);
    if (!inputs.is_ok()) { r.detail = inputs.status().to_string(); return r; }
    auto outputs = session.run(*inputs);
    if (!outputs.is_ok()) {
      r.outcome = outputs.status().code() == StatusCode::kUnsupported ? CaseOutcome::kUnsupported : CaseOutcome::kFail;
      r.detail = outputs.status().to_string();
      return r;
    }
    if (outputs->size() != data->outputs.size()) {
      r.detail = "produced " + std::to_string(outputs->size()) + " outputs, expected " + std::to_string(data->outputs.size());
      return r;
    }
    for (size_t i = 0; i < outputs->size(); ++i) {
      Tensor expected = adapt_bfloat16_quirk(data->outputs[i].tensor, (*outputs)[i].dtype());
      Comparison c = compare_tensors((*outputs)[i], expected, tol);
      if (!c.match) {
        r.detail = "output " + std::to_string(i) + " ('" + session.outputs()[i].name + "'): " + c.message;
        return r;
      }
    }
  }
  r.outcome = CaseOutcome::kPass;
  return r;
}

}  // namespace

CaseResult run_conformance_case(const std::string& test_dir, const ConformanceOptions& options) {
  CaseResult r;
  r.name = fs::path(test_dir).filename().string();
  auto model = load_onnx(test_dir + "/model.onnx");
  if (!model.is_ok()) {
    r.op = "(unloadable)";
    r.outcome = model.status().code() == StatusCode::kUnsupported ? CaseOutcome::kUnsupported : CaseOutcome::kFail;
    r.detail = model.status().to_string();
    return r;
  }
  r.op = op_under_test(*model, r.name);
  auto skip = options.skip.find(r.name);
  if (skip != options.skip.end()) {
    r.outcome = CaseOutcome::kSkipped;
    r.detail = skip->second;
    return r;
  }
  auto session = Session::create(std::move(model).value(), options.session);
  if (!session.is_ok()) {
    r.outcome = session.status().code() == StatusCode::kUnsupported ? CaseOutcome::kUnsupported : CaseOutcome::kFail;
    r.detail = session.status().to_string();
    return r;
  }
  return check_data_sets(**session, test_dir, options.tolerance, r);
}

ConformanceReport run_conformance(const std::string& root, const ConformanceOptions& options) {
  std::vector<std::string> dirs;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(root, ec))
    if (e.is_directory() && fs::exists(e.path() / "model.onnx")) dirs.push_back(e.path().string());
  std::sort(dirs.begin(), dirs.end());
  ConformanceReport report;
  for (const auto& dir : dirs) {
    if (!options.filter.empty() && fs::path(dir).filename().string().find(options.filter) == std::string::npos) continue;
    CaseResult r = run_conformance_case(dir, options);
    OpTally& t = report.per_op[r.op];
    for (OpTally* x : {&t, &report.total}) {
      switch (r.outcome) {
        case CaseOutcome::kPass: ++x->pass; break;
        case CaseOutcome::kFail: ++x->fail; break;
        case CaseOutcome::kUnsupported: ++x->unsupported; break;
        case CaseOutcome::kSkipped: ++x->skipped; break;
      }
    }
    if (options.on_case) options.on_case(r);
    report.cases.push_back(std::move(r));
  }
  return report;
}

std::string conformance_markdown(const ConformanceReport& report, const std::string& command) {
  std::ostringstream md;
  const OpTally& t = report.total;
  int all = t.pass + t.fail + t.unsupported + t.skipped;
  md << "# ONNX backend node-test conformance\n\n"
     << "Generated by `" << command << "` over Debian's `libonnx-testdata` "
     << "(`/usr/share/libonnx-testdata/data/node`). Floats compare with rtol 1e-3, atol 1e-5; "
     << "integers and bools exactly.\n\n"
     << "**" << t.pass << " of " << all << " pass** — " << t.fail << " fail, " << t.unsupported
     << " unsupported, " << t.skipped << " skipped (reasons in `tests/conformance_skip.txt`).\n\n"
     << "| op | pass | fail | unsupported | skipped |\n|---|---:|---:|---:|---:|\n";
  for (const auto& [op, x] : report.per_op)
    md << "| " << op << " | " << x.pass << " | " << x.fail << " | " << x.unsupported << " | " << x.skipped << " |\n";
  md << "\n## Tests that do not pass\n\n| test | op | outcome | detail |\n|---|---|---|---|\n";
  for (const auto& c : report.cases) {
    if (c.outcome == CaseOutcome::kPass) continue;
    std::string detail = c.detail.substr(0, 160);
    std::replace(detail.begin(), detail.end(), '|', '/');
    std::replace(detail.begin(), detail.end(), '\n', ' ');
    md << "| " << c.name << " | " << c.op << " | " << case_outcome_name(c.outcome) << " | " << detail << " |\n";
  }
  return md.str();
}

}  // namespace ew
