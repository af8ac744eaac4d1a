#include "pgcluster.h"

#include "testcertificates.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

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

//! The state letter and parent of process \a pid from /proc; state 0 when there is none.
std::pair<char, pid_t> processState(pid_t pid)
{
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line))
    return {0, 0};
  // "pid (comm) S ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
  const std::size_t close = line.rfind(')');
  if (close == std::string::npos)
    return {0, 0};
  std::istringstream rest(line.substr(close + 1));
  char state = 0;
  pid_t parent = 0;
  rest >> state >> parent;
  return {state, parent};
}

//! Whether \a pid still runs: a zombie (killed, not yet reaped by whoever inherited it) does not.
bool running(pid_t pid)
{
  const char state = processState(pid).first;
  return state != 0 && state != 'Z' && state != 'X';
}

std::vector<pid_t> childrenOf(pid_t parent)
{
  std::vector<pid_t> children;
  std::error_code error;
  for (const auto &entry : std::filesystem::directory_iterator("/proc", error))
  {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos)
      continue;
    const pid_t pid = static_cast<pid_t>(std::stol(name));
    if (processState(pid).second == parent)
      children.push_back(pid);
  }
  return children;
}

//! Polls \a done every 50 ms for \a seconds; false when it never held.
template <typename Condition> bool waitFor(Condition done, int seconds)
{
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (!done())
  {
    if (std::chrono::steady_clock::now() > deadline)
      return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

} // namespace

PgCluster::PgCluster()
  : PgCluster(Durability::Fast)
{
}

PgCluster::PgCluster(Durability durability, Security security)
  : PgCluster(durability, ::getpid(), security)
{
}

PgCluster::PgCluster(Durability durability, pid_t owner)
  : PgCluster(durability, owner, Security::Trust)
{
}

PgCluster::PgCluster(Durability durability, pid_t owner, Security security)
  : PgCluster(durability, owner, Empty{})
{
  mSecurity = security;
  // (Constructed once the delegated constructor returns: when initdb or the start throws, the
  // destructor runs and removes the directory.)
  // --no-sync whatever the durability: initdb's closing sync (seconds) only guards the files
  // against a power loss of the test machine itself; what a crash test measures is the
  // server's own fsync of each commit, which Durable keeps on.
  run(asServerUser(mBin + "/initdb -D " + quoted(dataDir()) + " -U " + kUser +
                   " -A trust -E UTF8 --locale=C.UTF-8 --no-sync"));
  if (security == Security::TlsPassword)
    setUpTls();
  start();
  if (security == Security::TlsPassword)
  {
    // Stored as a SCRAM verifier (PostgreSQL 15's password_encryption), as hostssl asks for.
    mPassword = "Tls-" + std::to_string(mPort) + "-s3cret";
    psql("ALTER ROLE " + std::string(kUser) + " PASSWORD '" + mPassword + "'");
  }
}

void PgCluster::setUpTls()
{
  // The CA a center's clients are given (sslrootcert) and the certificate it signs for the
  // server; written by this (root or not) process, then handed to the server's user: the
  // server refuses a key file that others may read or that belongs to someone else.
  const std::string tls = mDir + "/tls";
  const gd::test::CertificateFiles ca = gd::test::writeCertificateAuthority(tls, "center-ca");
  const gd::test::CertificateFiles server = gd::test::writeServerCertificate(ca, tls, "server");
  mCaCertificate = ca.certFile;
  mServerCertificate = server.certFile;
  mServerKey = server.keyFile;
  if (::geteuid() == 0)
    run("chown -R postgres: " + quoted(tls));
  // Replaces initdb's trust-everywhere file: over TCP only TLS with a SCRAM password.
  std::ofstream(dataDir() + "/pg_hba.conf", std::ios::trunc) << "local all all trust\n"
                                                                "local replication all trust\n"
                                                                "hostssl all all 127.0.0.1/32 scram-sha-256\n";
  if (::geteuid() == 0)
    run("chown postgres: " + quoted(dataDir() + "/pg_hba.conf"));
}

std::string PgCluster::user()
{
  return kUser;
}

PgCluster::PgCluster(Durability durability, pid_t owner, Empty)
  : mBin("/usr/lib/postgresql/15/bin")
  , mDurability(durability)
  , mOwner(owner)
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
    {
      std::filesystem::remove(mDir);
      throw std::runtime_error("PgCluster: running as root and there is no 'postgres' user to run the server as");
    }
    if (::chown(mDir.c_str(), postgres->pw_uid, postgres->pw_gid) != 0)
    {
      std::filesystem::remove(mDir);
      throw std::runtime_error("PgCluster: cannot hand " + mDir + " to the postgres user");
    }
  }
  mPort = freePort();
  startWatchdog();
}

void PgCluster::startWatchdog() const
{
  // Polls rather than waits on a pipe: the fixture's owner (ctest) holds no pipe of ours.
  // kill -0 sees a zombie as alive, but ctest reaps its tests at once.
  const std::string dir = quoted(mDir);
  const std::string script = "while kill -0 " + std::to_string(mOwner) + " 2>/dev/null && [ -d " + dir +
                             " ]; do sleep 1; done; if [ -d " + dir + " ]; then " +
                             asServerUser(mBin + "/pg_ctl -D " + quoted(dataDir()) + " -w -t 30 -m immediate stop") +
                             " >/dev/null 2>&1; rm -rf " + dir + "; fi";
  // Everything the children need is made before fork: only async-signal-safe calls after it
  // (the test process may have threads).
  const char *argv[] = {"/bin/sh", "-c", script.c_str(), nullptr};
  const long maxFd = ::sysconf(_SC_OPEN_MAX);
  const pid_t child = ::fork();
  if (child < 0)
    throw std::runtime_error("PgCluster: cannot fork the watchdog of " + mDir);
  if (child == 0)
  {
    // A session of its own and reparented (its parent exits at once): ctest kills a timed-out
    // test with every descendant, and the watchdog must outlive it.
    ::setsid();
    if (::fork() == 0)
    {
      // Holding none of the test's descriptors: ctest reads the test's output until every
      // writer has closed it, and would wait for the watchdog.
      const int null = ::open("/dev/null", O_RDWR);
      ::dup2(null, 0);
      ::dup2(null, 1);
      ::dup2(null, 2);
#ifdef SYS_close_range
      if (::syscall(SYS_close_range, 3u, ~0u, 0u) != 0)
#endif
        for (long fd = 3; fd < (maxFd > 0 ? maxFd : 1024); ++fd)
          ::close(static_cast<int>(fd));
      ::execv("/bin/sh", const_cast<char *const *>(argv));
      ::_exit(127);
    }
    ::_exit(0);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
}

PgCluster::~PgCluster()
{
  try
  {
    // Also when a start failed half-way: a postmaster.pid means a server may be running.
    if (mRunning || std::filesystem::exists(dataDir() + "/postmaster.pid"))
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
  // Fast: fsync and full-page writes off, a test cluster's durability is not what is measured.
  // Durable: PostgreSQL's defaults, said out loud. Both stream WAL to standbys (replica level,
  // senders and slots: PostgreSQL 15's defaults too). Left to postgresql.auto.conf (ALTER
  // SYSTEM): synchronous_standby_names, which standbyOf() sets.
  const std::string durability = mDurability == Durability::Fast
                                   ? " -c fsync=off -c full_page_writes=off"
                                   : " -c fsync=on -c full_page_writes=on -c synchronous_commit=on";
  const std::string tls = mSecurity == Security::TlsPassword
                            ? " -c ssl=on -c ssl_cert_file=" + mServerCertificate + " -c ssl_key_file=" + mServerKey
                            : std::string();
  run(asServerUser(mBin + "/pg_ctl -D " + quoted(dataDir()) + " -l " + quoted(mDir + "/server.log") + " -w -t 60 -o " +
                   quoted("-p " + std::to_string(mPort) + " -k " + mDir + " -c listen_addresses=127.0.0.1" +
                          durability + tls + " -c wal_level=replica -c max_wal_senders=10 -c max_replication_slots=10") +
                   " start"));
  mRunning = true;
}

void PgCluster::stopImmediately()
{
  run(asServerUser(mBin + "/pg_ctl -D " + quoted(dataDir()) + " -w -t 60 -m immediate stop"));
  mRunning = false;
}

void PgCluster::kill()
{
  std::ifstream pidFile(dataDir() + "/postmaster.pid");
  pid_t postmaster = 0;
  if (!(pidFile >> postmaster) || postmaster <= 0 || !running(postmaster))
    throw std::runtime_error("PgCluster: no postmaster running in " + dataDir() + " to kill");
  pidFile.close();
  // Its children first found, then all killed at once: once the postmaster is dead they are
  // the children of whoever inherits orphans, and left alone they would linger a moment (each
  // notices the postmaster's death by itself), holding the shared memory a start() needs.
  const std::vector<pid_t> children = childrenOf(postmaster);
  ::kill(postmaster, SIGKILL);
  for (const pid_t child : children)
    ::kill(child, SIGKILL);
  const bool gone = waitFor(
    [&] {
      if (running(postmaster))
        return false;
      for (const pid_t child : children)
        if (running(child))
          return false;
      return true;
    },
    30);
  if (!gone)
    throw std::runtime_error("PgCluster: the server in " + dataDir() + " outlived SIGKILL");
  mRunning = false;
  // The lock file of a dead server. A killed postmaster may stay a zombie here (nobody need
  // reap it), and a start() would take its pid for a live server's.
  std::error_code ignored;
  std::filesystem::remove(dataDir() + "/postmaster.pid", ignored);
}

void PgCluster::promote()
{
  run(asServerUser(mBin + "/pg_ctl -D " + quoted(dataDir()) + " -w -t 60 promote"));
}

bool PgCluster::isInRecovery() const
{
  return psql("SELECT pg_is_in_recovery()") == "t\n";
}

std::unique_ptr<PgCluster> PgCluster::standbyOf(PgCluster &primary, bool synchronous)
{
  // Owned from here: when a step throws, the destructor stops and removes what was made.
  std::unique_ptr<PgCluster> standby(new PgCluster(primary.mDurability, primary.mOwner, Empty{}));
  // A name of its own (its port is unique while it runs): what the primary lists it under in
  // pg_stat_replication and synchronous_standby_names, and its replication slot.
  standby->mApplicationName = "gd_standby_" + std::to_string(standby->mPort);
  // -R writes standby.signal and primary_conninfo (from the connection given here, so with
  // the application name); -C -S a slot, so the primary keeps the WAL the standby has not had.
  // --no-sync as initdb's above: the standby's server syncs what it receives (Durable).
  const std::string source = "host=" + primary.mDir + " port=" + std::to_string(primary.mPort) + " user=" + kUser +
                             " application_name=" + standby->mApplicationName;
  standby->run(standby->asServerUser(
    standby->mBin + "/pg_basebackup -D " + quoted(standby->dataDir()) + " -d " + quoted(source) +
    " -R -X stream -c fast -C -S " + standby->mApplicationName + " --no-sync"));
  {
    // The copy has the primary's postgresql.auto.conf: were the primary waiting for a sync
    // standby already, this one, once promoted, would wait for it too (every commit hung).
    const std::string autoConf = standby->dataDir() + "/postgresql.auto.conf";
    std::ifstream in(autoConf);
    std::string kept;
    for (std::string line; std::getline(in, line);)
      if (line.rfind("synchronous_standby_names", 0) != 0)
        kept += line + "\n";
    in.close();
    std::ofstream(autoConf, std::ios::trunc) << kept;
  }
  standby->start();

  if (synchronous)
  {
    primary.psql("ALTER SYSTEM SET synchronous_standby_names = '\"" + standby->mApplicationName + "\"'");
    primary.psql("SELECT pg_reload_conf()");
  }
  const std::string wanted = synchronous ? "streaming|sync\n" : "streaming|async\n";
  std::string seen;
  const bool streaming = waitFor(
    [&] {
      seen = primary.psql("SELECT state, sync_state FROM pg_stat_replication WHERE application_name = '" +
                          standby->mApplicationName + "'");
      return seen == wanted;
    },
    30);
  if (!streaming)
    throw std::runtime_error("PgCluster: standby " + standby->mApplicationName + " not " + wanted.substr(0, wanted.size() - 1) +
                             " after 30 s (pg_stat_replication: '" + seen + "'); its log:\n" +
                             standby->run("tail -n 20 " + quoted(standby->mDir + "/server.log")));
  return standby;
}

std::string PgCluster::multiHostConninfo(const std::vector<const PgCluster *> &clusters, const std::string &database)
{
  if (clusters.empty())
    throw std::runtime_error("PgCluster: a multi-host URI needs at least one cluster");
  std::string hosts;
  for (const PgCluster *cluster : clusters)
    hosts += (hosts.empty() ? "" : ",") + std::string("127.0.0.1:") + std::to_string(cluster->mPort);
  return "postgresql://" + hosts + "/" + database + "?user=" + kUser + "&target_session_attrs=read-write&connect_timeout=2";
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
