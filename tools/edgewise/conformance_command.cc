// edgewise conformance DIR: runs ONNX backend node tests and reports per op.
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "check/conformance.h"
#include "arguments.h"
#include "commands.h"

namespace ew::cli {

namespace {

struct Args {
  std::string root = "/usr/share/libonnx-testdata/data/node";
  std::string skip_list, markdown, filter;
  SessionArgs session;
  bool json = false, verbose = false;
};

nlohmann::json report_json(const ConformanceReport& r) {
  nlohmann::json j;
  j["pass"] = r.total.pass;
  j["fail"] = r.total.fail;
  j["unsupported"] = r.total.unsupported;
  j["skipped"] = r.total.skipped;
  for (const auto& [op, t] : r.per_op)
    j["ops"][op] = {{"pass", t.pass}, {"fail", t.fail}, {"unsupported", t.unsupported}, {"skipped", t.skipped}};
  for (const auto& c : r.cases)
    j["cases"].push_back({{"name", c.name}, {"op", c.op}, {"outcome", case_outcome_name(c.outcome)}, {"detail", c.detail}});
  return j;
}

void print_text(const ConformanceReport& r) {
  std::printf("%-28s %6s %6s %12s %8s\n", "op", "pass", "fail", "unsupported", "skipped");
  for (const auto& [op, t] : r.per_op)
    std::printf("%-28s %6d %6d %12d %8d\n", op.c_str(), t.pass, t.fail, t.unsupported, t.skipped);
  std::printf("\nconformance: %d passed, %d failed, %d unsupported, %d skipped (of %zu)\n", r.total.pass, r.total.fail,
              r.total.unsupported, r.total.skipped, r.cases.size());
}

int run(const Args& a) {
  ConformanceOptions opt;
  opt.filter = a.filter;
  auto session = session_options(a.session);
  if (!session.is_ok()) return report_error(session.status());
  opt.session = *session;
  if (!a.skip_list.empty()) {
    auto skip = read_skip_list(a.skip_list);
    if (!skip.is_ok()) {
      std::cerr << "error: " << skip.status().to_string() << "\n";
      return 2;
    }
    opt.skip = *skip;
  }
  opt.on_case = [&](const CaseResult& c) {
    if (c.outcome == CaseOutcome::kFail || (a.verbose && c.outcome != CaseOutcome::kPass))
      std::cerr << case_outcome_name(c.outcome) << ": " << c.name << " [" << c.op << "] " << c.detail << "\n";
  };
  ConformanceReport r = run_conformance(a.root, opt);
  if (r.cases.empty()) {
    std::cerr << "error: no ONNX tests found under '" << a.root << "'\n";
    return 2;
  }
  if (!a.markdown.empty()) {
    std::ofstream out(a.markdown);
    std::string cmd = "edgewise conformance" + (a.skip_list.empty() ? "" : " --skip-list " + a.skip_list) + " --markdown " + a.markdown;
    out << conformance_markdown(r, cmd);
  }
  if (a.json) std::cout << report_json(r).dump(2) << "\n";
  else print_text(r);
  return r.total.fail == 0 ? 0 : 1;
}

}  // namespace

void add_conformance_command(CLI::App& app) {
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("conformance", "Run ONNX backend node tests (model.onnx + test_data_set_N folders)");
  cmd->add_option("dir", args->root, "Folder of test folders")->capture_default_str();
  cmd->add_option("--skip-list", args->skip_list, "File of 'test_name reason' lines to skip");
  cmd->add_option("--markdown", args->markdown, "Write the per-op table as Markdown to this file");
  cmd->add_option("--filter", args->filter, "Only tests whose name contains this text");
  add_session_options(cmd, args->session);
  cmd->add_flag("--json", args->json, "Print the report as JSON");
  cmd->add_flag("-v,--verbose", args->verbose, "Print every test that does not pass");
  cmd->callback([args] { exit_code() = run(*args); });
}

}  // namespace ew::cli
