// The small sysfs readers: absent, unreadable and malformed files are states, not errors.
#include "device/sysfs.h"

#include <gtest/gtest.h>

#include "device/fixture_paths.h"

namespace ew::device {
namespace {

using test::ScratchRoot;

TEST(SysfsTest, ParseInt) {
  EXPECT_EQ(parse_int("1500000"), 1500000);
  EXPECT_EQ(parse_int(" -42\n"), -42);
  EXPECT_FALSE(parse_int(""));
  EXPECT_FALSE(parse_int("12abc"));
  EXPECT_FALSE(parse_int("-"));
  EXPECT_FALSE(parse_int("99999999999999999999999"));
}

TEST(SysfsTest, ParseCpuList) {
  EXPECT_EQ(*parse_cpu_list("0-3"), (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(*parse_cpu_list("0 1 2 3"), (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(*parse_cpu_list("0-1,4,6-7"), (std::vector<int>{0, 1, 4, 6, 7}));
  EXPECT_EQ(*parse_cpu_list(""), std::vector<int>{});
  EXPECT_FALSE(parse_cpu_list("3-1"));
  EXPECT_FALSE(parse_cpu_list("0-99999999"));
  EXPECT_FALSE(parse_cpu_list("cpu0"));
}

TEST(SysfsTest, HostPathJoinsRoot) {
  EXPECT_EQ(host_path("/", "/proc/meminfo"), "/proc/meminfo");
  EXPECT_EQ(host_path("", "/proc/meminfo"), "/proc/meminfo");
  EXPECT_EQ(host_path("/tmp/x/", "/proc/meminfo"), "/tmp/x/proc/meminfo");
}

TEST(SysfsTest, MissingFileIsUnknown) {
  ScratchRoot s;
  auto r = read_int(s.root(), "/sys/class/thermal/thermal_zone0/temp");
  EXPECT_FALSE(r.known());
  EXPECT_EQ(r.provenance, Provenance::kUnknown);
  EXPECT_NE(r.note.find("absent"), std::string::npos);
}

TEST(SysfsTest, GarbageIsUnparsedWithNote) {
  ScratchRoot s;
  s.write("/sys/x/temp", "hot!\n");
  auto r = read_int(s.root(), "/sys/x/temp");
  EXPECT_EQ(r.provenance, Provenance::kUnparsed);
  EXPECT_NE(r.note.find("unparsed 'hot!'"), std::string::npos) << r.note;
  s.write("/sys/x/list", "1 2 three");
  EXPECT_EQ(read_int_list(s.root(), "/sys/x/list").provenance, Provenance::kUnparsed);
  s.write("/sys/x/cpus", "0-");
  EXPECT_EQ(read_cpu_list(s.root(), "/sys/x/cpus").provenance, Provenance::kUnparsed);
}

TEST(SysfsTest, EmptyAndBinaryFilesDoNotCrash) {
  ScratchRoot s;
  s.write("/sys/x/empty", "");
  EXPECT_EQ(read_int(s.root(), "/sys/x/empty").provenance, Provenance::kUnparsed);
  s.write("/sys/x/binary", std::string("\0\xff\x01", 3));
  EXPECT_EQ(read_int(s.root(), "/sys/x/binary").provenance, Provenance::kUnparsed);
  EXPECT_TRUE(read_text(s.root(), "/sys/x/empty").known());
}

TEST(SysfsTest, DirectoryInPlaceOfFileIsUnreadable) {
  ScratchRoot s;
  s.make_dir("/sys/x/energy_uj");
  auto r = read_int(s.root(), "/sys/x/energy_uj");
  EXPECT_EQ(r.provenance, Provenance::kUnreadable);
  EXPECT_NE(r.note.find("unreadable"), std::string::npos);
}

TEST(SysfsTest, ListEntriesInNaturalOrder) {
  ScratchRoot s;
  for (const char* n : {"policy10", "policy2", "policy0", "other"}) s.make_dir(std::string("/sys/p/") + n);
  EXPECT_EQ(list_entries(s.root(), "/sys/p", "policy"), (std::vector<std::string>{"policy0", "policy2", "policy10"}));
  EXPECT_TRUE(list_entries(s.root(), "/sys/absent", "policy").empty());
}

}  // namespace
}  // namespace ew::device
