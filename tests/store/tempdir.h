#pragma once
// A unique temporary directory for one test, removed with everything in it afterwards.

#include <cstdlib>
#include <filesystem>
#include <string>
#include <unistd.h>

namespace gd::store::test {

class TempDir
{
  public:
    TempDir()
    {
      std::string pattern = (std::filesystem::temp_directory_path() / "gdstore-XXXXXX").string();
      if (!mkdtemp(pattern.data()))
        throw std::runtime_error("mkdtemp failed");
      mPath = pattern;
    }
    ~TempDir()
    {
      std::error_code ignored;
      std::filesystem::remove_all(mPath, ignored);
    }
    TempDir(const TempDir &) = delete;
    TempDir &operator=(const TempDir &) = delete;

    const std::filesystem::path &path() const { return mPath; }
    std::filesystem::path file(const std::string &name) const { return mPath / name; }

  private:
    std::filesystem::path mPath;
};

} // namespace gd::store::test
