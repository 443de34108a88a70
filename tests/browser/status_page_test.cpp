// The status page in a real browser: fibpool (the real binaries, ephemeral
// ports) with a big job holding a worker, the page opened in headless
// Chromium (Debian's `chromium`, installed by scripts/install-deps), its DOM
// read once the data has arrived, and a screenshot kept as a build artifact
// (build/artifacts/status-page.png). Needs no network beyond 127.0.0.1.
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/line_client.h"
#include "tests/support/server_process.h"
#include "tests/support/stats.h"
#include "tests/support/wait.h"

namespace fibpool::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// A fresh directory, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir() {
    char name[] = "/tmp/fibpool-browser.XXXXXX";
    if (!::mkdtemp(name)) throw std::runtime_error("mkdtemp failed");
    path_ = name;
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::optional<fs::path> FindChromium() {
  for (const char* name : {"chromium", "chromium-browser"}) {
    const char* path = ::getenv("PATH");
    std::istringstream dirs(path ? path : "/usr/bin");
    for (std::string dir; std::getline(dirs, dir, ':');) {
      const fs::path candidate = fs::path(dir) / name;
      if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
  }
  return std::nullopt;
}

// One headless Chromium run with its own profile directory. Chromium starts
// helper processes: it runs in a process group of its own, and the whole
// group is killed when it is done or past `timeout`. Returns its stdout, or
// std::nullopt when it did not exit in time.
std::optional<std::string> RunChromium(const fs::path& chromium, std::vector<std::string> args,
                                       std::chrono::milliseconds timeout) {
  TempDir profile;
  const fs::path out = profile.path() / "stdout";
  std::vector<std::string> argv = {chromium.string(),
                                   "--headless",
                                   "--no-sandbox",
                                   "--disable-gpu",
                                   "--disable-quic",
                                   "--no-first-run",
                                   "--disable-background-networking",
                                   "--disable-component-update",
                                   "--disable-sync",
                                   "--disable-breakpad",
                                   "--disable-crash-reporter",
                                   "--hide-scrollbars",
                                   "--user-data-dir=" + (profile.path() / "profile").string()};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> c_argv;
  for (auto& a : argv) c_argv.push_back(a.data());
  c_argv.push_back(nullptr);

  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::setpgid(0, 0);
    const int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int null = ::open("/dev/null", O_RDWR);
    ::dup2(null, 0);
    ::dup2(fd, 1);
    ::dup2(null, 2);
    ::execv(c_argv[0], c_argv.data());
    ::_exit(127);
  }
  ::setpgid(pid, pid);
  int status = 0;
  const bool exited =
      WaitFor([&] { return ::waitpid(pid, &status, WNOHANG) == pid; }, timeout, 20ms);
  ::kill(-pid, SIGKILL);
  if (!exited) ::waitpid(pid, &status, 0);
  if (!exited) return std::nullopt;
  std::ifstream in(out);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The body of an HTTP/1.0 GET of `path` on `port`; empty when there is none.
std::string HttpBody(std::uint16_t port, const std::string& path) {
  LineClient http(port);
  http.Send("GET " + path + " HTTP/1.0\r\nHost: localhost\r\n\r\n");
  std::string response;
  while (auto line = http.ReadLine(10s)) response += *line + "\n";
  const auto blank = response.find("\r\n\r\n");
  return blank == std::string::npos ? "" : response.substr(blank + 4);
}

// The value of attribute `name` of the first element `tag` whose attributes
// match `pattern`, as a number; -1 when there is none.
long AttributeOf(const std::string& dom, const std::string& tag, const std::string& pattern,
                 const std::string& name) {
  std::smatch m;
  const std::regex element("<" + tag + "\\b[^>]*" + pattern + "[^>]*>");
  if (!std::regex_search(dom, m, element)) return -1;
  const std::string attributes = m.str();
  std::smatch value;
  if (!std::regex_search(attributes, value, std::regex(name + "=\"(\\d+)\""))) return -1;
  return std::stol(value[1].str());
}

// The attributes of the first element `tag` in `dom` whose attributes match `pattern`.
bool HasElement(const std::string& dom, const std::string& tag, const std::string& pattern) {
  const std::regex element("<" + tag + "\\b[^>]*" + pattern + "[^>]*>");
  return std::regex_search(dom, element);
}

TEST(StatusPage, ChromiumShowsEveryWorkerAndTheJobABusyOneRuns) {
  const std::optional<fs::path> chromium = FindChromium();
  ASSERT_TRUE(chromium) << "chromium is not installed: run scripts/install-deps";

  ServerProcess server({"--workers", "2", "--metrics-port", "0", "--job-timeout", "600"});
  LineClient big(server.port());
  big.Send("50 recursive\n");  // minutes of CPU: holds one main worker for the whole test
  LineClient client(server.port());
  for (int i = 0; i < 20; ++i) ASSERT_EQ(client.Ask("30"), "832040");
  ASSERT_TRUE(WaitFor([&] { return BusyWorkers(AskStats(client)).size() == 1; }, 10s));
  const std::string url = "http://127.0.0.1:" + std::to_string(MetricsPort(client)) + "/";

  // Each run loads the page, lets it poll for a few (virtual) seconds and
  // prints the DOM; the page marks <body> once data has arrived.
  std::string dom;
  const bool shown = WaitFor(
      [&] {
        const auto out =
            RunChromium(*chromium, {"--virtual-time-budget=3000", "--dump-dom", url}, 60s);
        dom = out.value_or("");
        return HasElement(dom, "body", "data-state=\"live\"");
      },
      180s, 100ms);
  ASSERT_TRUE(shown) << "no live data in the page; last DOM:\n" << dom;
  EXPECT_TRUE(HasElement(dom, "body", "data-workers=\"2\"")) << dom;
  EXPECT_TRUE(HasElement(dom, "body", "data-reserve-workers=\"1\"")) << dom;
  const std::regex worker_row("<tr class=\"worker[^\"]*\" data-lane=\"(main|reserve)\"");
  std::ptrdiff_t count = std::distance(std::sregex_iterator(dom.begin(), dom.end(), worker_row),
                                       std::sregex_iterator());
  EXPECT_EQ(count, 3) << dom;
  EXPECT_TRUE(HasElement(dom, "tr",
                         "data-lane=\"main\"[^>]*data-state=\"busy\" data-job-n=\"50\" "
                         "data-job-algorithm=\"recursive\""))
      << dom;
  EXPECT_NE(dom.find("F(50) recursive"), std::string::npos);

  // The screenshot: kept under the build directory for people (and CI) to look at.
  const fs::path artifact = fs::path(FIBPOOL_ARTIFACT_DIR) / "status-page.png";
  fs::create_directories(artifact.parent_path());
  fs::remove(artifact);
  const auto shot = RunChromium(*chromium,
                                {"--virtual-time-budget=6000", "--window-size=1280,900",
                                 "--screenshot=" + artifact.string(), url},
                                90s);
  ASSERT_TRUE(shot) << "chromium did not finish the screenshot";
  ASSERT_TRUE(fs::exists(artifact));
  std::ifstream png(artifact, std::ios::binary);
  char signature[8] = {};
  png.read(signature, sizeof signature);
  EXPECT_EQ(std::string(signature, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_GT(fs::file_size(artifact), 20'000u);  // a rendered page, not a blank one
}

TEST(StatusPage, ChartsShowTheLastMinutesFromHistoryAtFirstPaint) {
  const std::optional<fs::path> chromium = FindChromium();
  ASSERT_TRUE(chromium) << "chromium is not installed: run scripts/install-deps";

  ServerProcess server({"--workers", "1", "--reserve-workers", "0", "--metrics-port", "0",
                        "--job-timeout", "600"});
  LineClient client(server.port());
  for (int i = 0; i < 200; ++i) ASSERT_EQ(client.Ask("25"), "75025");
  LineClient big(server.port());
  big.Send("50 recursive\n");  // holds the only worker for the whole test
  ASSERT_TRUE(WaitFor([&] { return BusyWorkers(AskStats(client)).size() == 1; }, 10s));
  LineClient waiting(server.port());
  waiting.Send("20\n21\n22\n23\n24\n");  // five jobs in the backlog behind the big one
  ASSERT_TRUE(WaitFor([&] { return AskStats(client).at("backlog").to_number<int>() == 5; }, 10s));
  const std::uint16_t port = MetricsPort(client);

  // Enough samples that no run of live polling could have drawn them.
  constexpr long kSamples = 6;
  ASSERT_TRUE(WaitFor(
      [&] {
        const auto history = boost::json::parse(HttpBody(port, "/status/history"));
        return static_cast<long>(
                   history.at("samples").at("uptime_ms").as_array().size()) >= kSamples;
      },
      30s, 200ms));

  // Half a (virtual) second after load: the page has its history and at most
  // the first live answer, whose poll starts once the history is drawn.
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/";
  std::string dom;
  ASSERT_TRUE(WaitFor(
      [&] {
        dom = RunChromium(*chromium, {"--virtual-time-budget=500", "--dump-dom", url}, 60s)
                  .value_or("");
        return AttributeOf(dom, "body", "", "data-history") >= kSamples;
      },
      180s, 100ms))
      << "no history in the page; last DOM:\n"
      << dom;
  const long drawn = AttributeOf(dom, "body", "", "data-history");
  EXPECT_LE(AttributeOf(dom, "body", "", "data-updates"), 1) << dom;
  for (const char* chart : {"queue-chart", "rate-chart", "p99-chart", "busy-chart"}) {
    EXPECT_GE(AttributeOf(dom, "svg", std::string("id=\"") + chart + "\"", "data-points"), drawn)
        << chart << "\n"
        << dom;
    EXPECT_TRUE(std::regex_search(
        dom, std::regex(std::string("<svg id=\"") + chart + "\"[^>]*>.*?<polyline")))
        << chart << " draws no line\n"
        << dom;
  }
  // The client with the most waiting work: the five jobs behind the big one.
  EXPECT_TRUE(HasElement(dom, "tr", "data-flow=\"[^\"]+\" data-queued=\"5\"")) << dom;

  const fs::path artifact = fs::path(FIBPOOL_ARTIFACT_DIR) / "status-page-history.png";
  fs::create_directories(artifact.parent_path());
  fs::remove(artifact);
  ASSERT_TRUE(RunChromium(*chromium,
                          {"--virtual-time-budget=500", "--window-size=1280,1300",
                           "--screenshot=" + artifact.string(), url},
                          90s));
  EXPECT_TRUE(fs::exists(artifact));
}

}  // namespace
}  // namespace fibpool::testing
