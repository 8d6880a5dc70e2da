// Renders an HTML file in headless Chromium (Debian's `chromium`, installed by
// scripts/setup.sh) and reads back what the page recorded about its charts
// (<body data-charts-total data-charts-drawn data-chart-error>; see
// src/report/html_report.h). Header-only so any test can include it.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <regex>
#include <string>

namespace ew::test {

inline constexpr const char* kChromiumPath = "/usr/bin/chromium";

struct RenderedPage {
  int exit_code = -1;     // of chromium (124/137: killed by the timeout)
  std::string dom;        // --dump-dom output
  int charts_total = -1;  // -1: the attribute is absent (the page script did not run)
  int charts_drawn = -1;
  std::string chart_error;
};

inline int dom_int_attribute(const std::string& dom, const std::string& name) {
  std::smatch m;
  if (std::regex_search(dom, m, std::regex(name + "=\"([0-9]+)\""))) return std::stoi(m[1].str());
  return -1;
}

// Loads file://`html_path` with JavaScript's virtual time budget of 10 s (no
// real waiting once the page is idle); the whole browser is killed after
// `timeout_s` wall seconds so a hung browser cannot hang the test.
inline RenderedPage render_in_chromium(const std::string& html_path, int timeout_s = 60) {
  RenderedPage page;
  const std::string profile = (std::filesystem::temp_directory_path() /
                               ("ew-chromium-" + std::to_string(getpid()))).string();
  const std::string cmd = "timeout -k 5 " + std::to_string(timeout_s) + " " + kChromiumPath +
                          " --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run"
                          " --disable-extensions --hide-scrollbars --window-size=1200,900"
                          " --virtual-time-budget=10000 --user-data-dir=" +
                          profile + " --dump-dom 'file://" + std::filesystem::absolute(html_path).string() +
                          "' 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return page;
  char buf[65536];
  while (size_t n = fread(buf, 1, sizeof buf, p)) page.dom.append(buf, n);
  const int status = pclose(p);
  page.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::error_code ec;
  std::filesystem::remove_all(profile, ec);
  // The DOM holds the inlined Chart.js and the chart JSON too; the attributes
  // of interest are on <body>.
  const size_t body = page.dom.find("<body");
  const std::string tag = body == std::string::npos ? "" : page.dom.substr(body, page.dom.find('>', body) - body);
  page.charts_total = dom_int_attribute(tag, "data-charts-total");
  page.charts_drawn = dom_int_attribute(tag, "data-charts-drawn");
  std::smatch m;
  if (std::regex_search(tag, m, std::regex("data-chart-error=\"([^\"]*)\""))) page.chart_error = m[1].str();
  return page;
}

}  // namespace ew::test

// Fails (not skips) the current test when Chromium is absent: setup.sh installs it.
#define EW_REQUIRE_CHROMIUM()                                                                        \
  do {                                                                                               \
    if (!std::filesystem::exists(::ew::test::kChromiumPath))                                         \
      FAIL() << ::ew::test::kChromiumPath << " is missing; run scripts/setup.sh (installs chromium)"; \
  } while (0)
