// bench_store_login [--config DIR] [--runs N] [--dir DIR]
//
// The cost of one console login (store::AccountStore::login: read the account, Argon2id-verify
// the password, write the cleared failure count) with the Argon2id parameters of accounts.conf
// (the shipped ones by default: 64 MiB, 4 passes, 1 lane), beside, in the same run:
//   - the same login with the cheapest Argon2id libargon2 allows (8 KiB, 1 pass): the store's own
//     part of a login (reads and a write transaction on a GeoPackage);
//   - one salted SHA-256 of the password (what a device token costs: store/feed/deviceregistry).
// Prints min, median and max of N logins each, and the process's peak memory after the
// configured logins (Argon2id's memory cost is real memory, filled each time).

#include "store/accounts/accountstore.h"
#include "store/config/accountsettings.h"
#include "store/config/configdir.h"
#include "store/database.h"
#include "store/schema.h"
#include "store/timetext.h"

#include <openssl/evp.h>
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

using namespace gd;
using Clock = std::chrono::steady_clock;

namespace {

struct Figures
{
  double min = 0, median = 0, max = 0;
};

Figures summarise(std::vector<double> ms)
{
  std::sort(ms.begin(), ms.end());
  return {ms.front(), ms[ms.size() / 2], ms.back()};
}

void print(const char *what, const Figures &f)
{
  std::printf("%-58s min %9.3f ms  median %9.3f ms  max %9.3f ms\n", what, f.min, f.median, f.max);
}

// The thread's CPU time in ms: what the login costs on a quiet machine, whatever else runs
// on this one (the wall time is printed too).
double cpuMs()
{
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

std::vector<double> timeLogins(store::AccountStore &accounts, const std::string &id, const std::string &password,
                               int runs, std::vector<double> *cpu = nullptr)
{
  std::vector<double> ms;
  for (int i = 0; i < runs; ++i)
  {
    const auto start = Clock::now();
    const double cpuStart = cpuMs();
    const auto result = accounts.login(id, password, store::nowUtc());
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    if (cpu)
      cpu->push_back(cpuMs() - cpuStart);
    if (result.outcome != store::LoginOutcome::Success)
    {
      std::cerr << "login failed\n";
      std::exit(1);
    }
  }
  return ms;
}

} // namespace

int main(int argc, char **argv)
{
  std::filesystem::path config = store::ConfigDirectory::defaultPath();
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "gd-login-bench";
  int runs = 10;
  for (int i = 1; i + 1 < argc; i += 2)
  {
    const std::string arg = argv[i];
    if (arg == "--config")
      config = argv[i + 1];
    else if (arg == "--runs")
      runs = std::max(1, std::stoi(argv[i + 1]));
    else if (arg == "--dir")
      dir = argv[i + 1];
  }
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const auto settings = store::AccountSettings::load(config);
  auto db = store::Schema::openOrCreate(dir / "login.gpkg");
  const std::string password = "Bench-Pass-2026";
  const auto now = store::nowUtc();

  // No TOTP role, so login() is the password step alone.
  core::AccountsConfig configured = settings.accounts;
  configured.totpRoles.clear();
  core::AccountsConfig cheapest = configured;
  cheapest.argon2 = core::Argon2Cost{8, 1, 1};
  store::AccountStore real(*db, configured, settings.permissions);
  store::AccountStore cheap(*db, cheapest, settings.permissions);
  real.createAdministrator("configured", "配置参数", core::Role::SystemAdmin, password, now);
  cheap.createAdministrator("cheapest", "最低参数", core::Role::SecurityAdmin, password, now);

  std::printf("Argon2id from %s: m=%u KiB (%.0f MiB), t=%u, p=%u; %d logins each\n",
              (config / "accounts.conf").c_str(), configured.argon2.memoryKib, configured.argon2.memoryKib / 1024.0,
              configured.argon2.iterations, configured.argon2.parallelism, runs);
  real.login("configured", password, now); // warm: the decoy hash, the statement cache
  cheap.login("cheapest", password, now);
  std::vector<double> configuredCpu;
  const Figures configuredFigures = summarise(timeLogins(real, "configured", password, runs, &configuredCpu));
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const Figures cheapFigures = summarise(timeLogins(cheap, "cheapest", password, runs));

  std::vector<double> shaMs;
  unsigned char salt[16] = {1, 2, 3};
  for (int i = 0; i < runs; ++i)
  {
    const auto start = Clock::now();
    std::string input(reinterpret_cast<const char *>(salt), sizeof salt);
    input += password;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_Digest(input.data(), input.size(), digest, &length, EVP_sha256(), nullptr);
    shaMs.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    salt[0] ^= digest[0];
  }
  print("login, configured Argon2id (wall time)", configuredFigures);
  print("login, configured Argon2id (CPU time of the thread)", summarise(configuredCpu));
  print("baseline: login, cheapest Argon2id (8 KiB, t=1)", cheapFigures);
  print("baseline: one salted SHA-256 of the password", summarise(shaMs));
  std::printf("peak resident memory after the configured logins: %.1f MiB\n", usage.ru_maxrss / 1024.0);
  std::printf("the configured cost is %.0fx the store's own part of a login\n",
              configuredFigures.median / std::max(cheapFigures.median, 1e-6));
  std::filesystem::remove_all(dir);
  return 0;
}
