#include "pgcluster.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

namespace gd::test {

namespace {

constexpr const char *kUser = "gd_test";

//! A TCP port on loopback nobody listens on now (the kernel's choice, released at once).
int freePort()
{
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) != 0)
  {
    if (fd >= 0)
      ::close(fd);
    throw std::runtime_error("PgCluster: no free port on 127.0.0.1");
  }
  const int port = ntohs(address.sin_port);
  ::close(fd);
  return port;
}

std::string quoted(const std::string &text)
{
  std::string out = "'";
  for (char c : text)
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

} // namespace

PgCluster::PgCluster()
  : mBin("/usr/lib/postgresql/15/bin")
{
  if (!std::filesystem::exists(mBin + "/initdb"))
    throw std::runtime_error("PgCluster: " + mBin + "/initdb not found (scripts/install-deps.sh installs postgresql-15)");
  std::string pattern = (std::filesystem::temp_directory_path() / "gd-pg-XXXXXX").string();
  if (!::mkdtemp(pattern.data()))
    throw std::runtime_error("PgCluster: cannot make a temporary directory");
  mDir = pattern;
  if (::geteuid() == 0)
  {
    // The server's files belong to the user it runs as.
    const passwd *postgres = ::getpwnam("postgres");
    if (!postgres)
      throw std::runtime_error("PgCluster: running as root and there is no 'postgres' user to run the server as");
    if (::chown(mDir.c_str(), postgres->pw_uid, postgres->pw_gid) != 0)
      throw std::runtime_error("PgCluster: cannot hand " + mDir + " to the postgres user");
  }
  run(asServerUser(mBin + "/initdb -D " + quoted(mDir + "/data") + " -U " + kUser +
                   " -A trust -E UTF8 --locale=C.UTF-8 --no-sync"));
  mPort = freePort();
  start();
}

PgCluster::~PgCluster()
{
  try
  {
    if (mRunning)
      stopImmediately();
  }
  catch (...)
  {
  }
  std::error_code ignored;
  std::filesystem::remove_all(mDir, ignored);
}

std::string PgCluster::asServerUser(const std::string &command) const
{
  return ::geteuid() == 0 ? "runuser -u postgres -- sh -c " + quoted(command) : command;
}

std::string PgCluster::run(const std::string &command) const
{
  const std::string full = command + " 2>&1";
  FILE *pipe = ::popen(full.c_str(), "r");
  if (!pipe)
    throw std::runtime_error("PgCluster: cannot run " + command);
  std::string output;
  std::array<char, 4096> buffer{};
  while (const std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe))
    output.append(buffer.data(), n);
  const int status = ::pclose(pipe);
  if (status != 0)
    throw std::runtime_error("PgCluster: '" + command + "' failed:\n" + output);
  return output;
}

void PgCluster::start()
{
  // fsync off: a test cluster's durability is not what is measured (the failover tests set
  // what they need themselves).
  run(asServerUser(mBin + "/pg_ctl -D " + quoted(mDir + "/data") + " -l " + quoted(mDir + "/server.log") +
                   " -w -t 60 -o " +
                   quoted("-p " + std::to_string(mPort) + " -k " + mDir +
                          " -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off") +
                   " start"));
  mRunning = true;
}

void PgCluster::stopImmediately()
{
  run(asServerUser(mBin + "/pg_ctl -D " + quoted(mDir + "/data") + " -w -t 60 -m immediate stop"));
  mRunning = false;
}

std::string PgCluster::conninfo(const std::string &database) const
{
  return "host=" + mDir + " port=" + std::to_string(mPort) + " user=" + kUser + " dbname=" + database;
}

std::string PgCluster::psql(const std::string &sql, const std::string &database) const
{
  return run("psql -X -q -A -t -v ON_ERROR_STOP=1 " + quoted(conninfo(database)) + " -c " + quoted(sql));
}

std::string PgCluster::createPostgisDatabase(const std::string &name) const
{
  psql("CREATE DATABASE \"" + name + "\"");
  psql("CREATE EXTENSION postgis", name);
  return conninfo(name);
}

} // namespace gd::test
