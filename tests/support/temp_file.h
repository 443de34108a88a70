// A file under /tmp for one test (a config file, typically), removed when
// the owner goes out of scope. Header-only. Not thread-safe.
#pragma once

#include <stdlib.h>
#include <unistd.h>

#include <fstream>
#include <stdexcept>
#include <string>

namespace fibpool::testing {

class TempFile {
 public:
  // Creates the file with `text` in it; throws std::runtime_error on failure.
  explicit TempFile(const std::string& text) {
    char name[] = "/tmp/fibpool-test-file.XXXXXX";
    const int fd = ::mkstemp(name);
    if (fd < 0) throw std::runtime_error("mkstemp failed");
    ::close(fd);
    path_ = name;
    Write(text);
  }
  ~TempFile() { ::unlink(path_.c_str()); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  // Replaces the contents.
  void Write(const std::string& text) const { std::ofstream(path_, std::ios::trunc) << text; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace fibpool::testing
