#include "apps/ctl/accountcommands.h"

#include "apps/ctl/ctloptions.h"
#include "core/roles.h"
#include "store/accounts/accountaudit.h"
#include "store/accounts/accountstore.h"
#include "store/accounts/seatstore.h"
#include "core/departments.h"
#include "store/config/accountsettings.h"
#include "store/config/configdir.h"
#include "store/database.h"
#include "store/schema.h"
#include "store/storeerror.h"
#include "store/timetext.h"

#include <nlohmann/json.hpp>

#include <termios.h>
#include <unistd.h>

#include <fstream>
#include <iomanip>
#include <sys/stat.h>
#include <iostream>
#include <string>

namespace gd::apps::ctl {

namespace {

using json = nlohmann::json;

// One line of standard input; on a terminal after a prompt on stderr, without echo for secrets.
std::string readLine(std::istream &in, std::ostream &err, const std::string &prompt, bool secret)
{
  const bool terminal = &in == &std::cin && isatty(STDIN_FILENO);
  termios saved{};
  if (terminal)
  {
    err << prompt << std::flush;
    if (secret && tcgetattr(STDIN_FILENO, &saved) == 0)
    {
      termios quiet = saved;
      quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
  }
  std::string line;
  const bool got = static_cast<bool>(std::getline(in, line));
  if (terminal && secret)
  {
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    err << "\n";
  }
  if (!got)
    throw UsageError("standard input ended before the " + prompt.substr(0, prompt.find(':')) + " was given");
  if (!line.empty() && line.back() == '\r')
    line.pop_back();
  return line;
}

struct Accounts
{
  std::unique_ptr<store::Database> db;
  store::AccountSettings settings;
  std::unique_ptr<store::AccountStore> store;
};

Accounts openAccounts(const CommandLine &cli)
{
  Accounts a;
  const std::filesystem::path dir = cli.value("config").value_or(store::ConfigDirectory::defaultPath().string());
  a.settings = store::AccountSettings::load(dir);
  a.db = store::Schema::open(dbLocation(cli));
  a.store = std::make_unique<store::AccountStore>(*a.db, a.settings.accounts, a.settings.permissions);
  // Each account command's outcome, and the --as account's login, go into the audit trail.
  a.store->setAuditSink(store::auditTrailSink(*a.db));
  return a;
}

// The --as account, logged in with its password (and TOTP code) from standard input.
std::string authenticate(const CommandLine &cli, store::AccountStore &accounts, std::istream &in, std::ostream &err)
{
  const auto actor = cli.value("as");
  if (!actor)
    throw UsageError("needs --as ID: the administrator doing it (its password is read from standard input)");
  const auto now = store::nowUtc();
  auto result = accounts.login(*actor, readLine(in, err, "password of " + *actor + ": ", true), now);
  if (result.outcome == store::LoginOutcome::NeedsTotp)
    result = accounts.completeTotp(std::move(result), readLine(in, err, "TOTP code of " + *actor + ": ", false), now);
  switch (result.outcome)
  {
    case store::LoginOutcome::Success: break;
    case store::LoginOutcome::Locked:
      throw store::StoreRefusal("locked", "account " + *actor + " is locked for " +
                                            std::to_string(result.remaining.count()) + " s more");
    case store::LoginOutcome::Disabled: throw store::StoreRefusal("disabled", "account " + *actor + " is disabled");
    case store::LoginOutcome::WrongTotp: throw store::StoreRefusal("wrong_totp", "wrong TOTP code");
    default: throw store::StoreRefusal("wrong_password", "wrong account or password");
  }
  if (result.mustChangePassword)
    throw store::StoreRefusal("must_change", "account " + *actor +
                                               " must change its password first: griddispatch-ctl account password --as " +
                                               *actor + " (or log in to the console)");
  if (result.needsTotpEnrolment)
    throw store::StoreRefusal("totp_enrolment", "account " + *actor +
                                                  " must enrol its second factor first: log in to the console once");
  return *actor;
}

std::string argument(const std::vector<std::string> &args, std::size_t index, const std::string &usage)
{
  if (args.size() <= index)
    throw UsageError(usage);
  return args[index];
}

std::string beijing(core::TimePoint t)
{
  return t == core::TimePoint{} ? std::string() : core::formatRfc3339(t);
}

} // namespace

void declareAccountOptions(CommandLine &cli)
{
  cli.addOption("name", "NAME", "account create-admin/add: the person's display name (e.g. 张三)");
  cli.addOption("role", "ROLE", "account create-admin: sysadmin (default), secadmin or auditadmin");
  cli.addOption("department", "CODE", "seat add: the department of a department seat (a code of departments.conf)");
  cli.addOption("credentials-out", "FILE", "seat add (PostgreSQL): write the seat's database login here (mode 0600) "
                                           "instead of printing it");
  cli.addOption("as", "ID", "account add/disable/roles/reset-password/password: the account doing it; its "
                            "password (and TOTP code) are read from standard input");
}

const char *accountCommandsHelp()
{
  return "  account create-admin ID --name N [--role R]\n"
         "                            at install: the first sysadmin (or secadmin, auditadmin);\n"
         "                            reads its password from standard input, to be changed at\n"
         "                            the first login. There is no default account.\n"
         "  account add ID --name N --as A      a new account without roles (sysadmin);\n"
         "                            prints its initial password once\n"
         "  account list                        accounts, their roles and state\n"
         "  account disable ID --as A           (sysadmin)\n"
         "  account roles ID R[,R…]|none --as A give exactly these roles (secadmin; 三员分立)\n"
         "  account reset-password ID --as A    a new initial password, printed once (sysadmin)\n"
         "  account password --as A             change A's own password\n"
         "  seat add ID --name N [--grid CODE] [--department CODE] [--as A] [--credentials-out FILE]\n"
         "                            a console seat that sees only that grid's subtree (all\n"
         "                            when no --grid) and, with --department, only the cases\n"
         "                            that department leads or assists in (sysadmin). On\n"
         "                            PostgreSQL also its database login role, held to that\n"
         "                            scope by row-level security; its password is printed once\n"
         "                            or written to FILE. A GeoPackage console names its seat\n"
         "                            with griddispatch --seat ID (one file, one seat: see\n"
         "                            docs/security.md)\n"
         "  seat list                           seats, their scope and state\n"
         "  seat disable ID [--as A]            sees nothing from now on; its role may not log in\n";
}

int runSeatCommand(const CommandLine &cli, std::istream &in, std::ostream &out, std::ostream &err)
{
  const auto &args = cli.positional();
  const std::string verb = argument(args, 1, "seat needs add, list or disable");
  auto a = openAccounts(cli);
  store::SeatStore seats(*a.db);
  // A store with accounts has a system administrator for this (三员分立); one without (the
  // demo, a store before accounts) leaves it to whoever runs ctl on it, as every other command.
  const auto sysadmin = [&] {
    if (a.store->list().empty())
      return;
    const std::string actor = authenticate(cli, *a.store, in, err);
    const auto account = a.store->find(actor);
    if (!account || !account->roles.count(core::Role::SystemAdmin))
      throw store::StoreRefusal("forbidden", "account " + actor + " is not a system administrator (sysadmin)");
  };
  if (verb == "add")
  {
    store::Seat seat;
    seat.id = argument(args, 2, "seat add needs ID --name N");
    const auto name = cli.value("name");
    if (!name)
      throw UsageError("seat add needs --name N");
    seat.displayName = *name;
    seat.gridScope = cli.value("grid", "");
    seat.department = cli.value("department", "");
    if (!seat.department.empty())
    {
      const auto config = store::ConfigDirectory::load(cli.value("config").value_or(store::ConfigDirectory::defaultPath().string()));
      if (!config->departments.find(seat.department))
        throw store::StoreRefusal("bad_value", "departments.conf has no department '" + seat.department + "'");
    }
    sysadmin();
    const auto credentialsOut = cli.value("credentials-out");
    store::Transaction tx(*a.db);
    seats.add(seat);
    std::optional<store::SeatCredentials> login;
    if (a.db->isPostgres())
      login = seats.createLoginRole(seat.id);
    tx.commit();
    out << "seat " << seat.id << " (" << seat.displayName << ") added: "
        << (seat.gridScope.empty() ? std::string("the whole district") : "grid " + seat.gridScope)
        << (seat.department.empty() ? std::string() : ", department " + seat.department) << "\n";
    if (login)
    {
      if (credentialsOut)
      {
        const ::mode_t old = ::umask(077);
        std::ofstream file(*credentialsOut, std::ios::trunc);
        ::umask(old);
        file << "role=" << login->role << "\npassword=" << login->password << "\n";
        file.close();
        ::chmod(credentialsOut->c_str(), 0600);
        if (!file)
          throw store::StoreError(0, "cannot write " + *credentialsOut);
        out << "database role " << login->role << ": its password is in " << *credentialsOut << " (mode 0600)\n";
      }
      else
        out << "database role " << login->role << "\npassword: " << login->password << "\n"
            << "It is shown only once: put it in the seat's ~/.pgpass (mode 0600), not in --db.\n";
    }
    return 0;
  }
  if (verb == "list")
  {
    const auto list = seats.list();
    if (cli.has("json"))
    {
      json rows = json::array();
      for (const auto &seat : list)
        rows.push_back({{"id", seat.id},
                        {"name", seat.displayName},
                        {"grid", seat.gridScope},
                        {"department", seat.department},
                        {"role", seat.loginRole},
                        {"disabled", seat.disabled}});
      out << rows.dump(2) << "\n";
      return 0;
    }
    for (const auto &seat : list)
      out << std::left << std::setw(14) << seat.id << seat.displayName << "  ["
          << (seat.gridScope.empty() ? std::string("whole district") : "grid " + seat.gridScope)
          << (seat.department.empty() ? std::string() : ", department " + seat.department) << "]"
          << (seat.loginRole.empty() ? std::string() : "  role " + seat.loginRole) << (seat.disabled ? "  disabled" : "")
          << "\n";
    out << list.size() << " seat(s)\n";
    return 0;
  }
  if (verb == "disable")
  {
    const std::string id = argument(args, 2, "seat disable needs ID");
    sysadmin();
    seats.disable(id);
    out << "seat " << id << " disabled\n";
    return 0;
  }
  throw UsageError("seat: unknown action '" + verb + "' (add, list, disable)");
}

int runAccountCommand(const CommandLine &cli, std::istream &in, std::ostream &out, std::ostream &err)
{
  const auto &args = cli.positional();
  const std::string verb = argument(args, 1, "account needs create-admin, add, list, disable, roles, reset-password or password");
  auto a = openAccounts(cli);
  const auto now = store::nowUtc();
  if (verb == "create-admin")
  {
    const std::string id = argument(args, 2, "account create-admin needs ID --name N");
    const auto name = cli.value("name");
    if (!name)
      throw UsageError("account create-admin needs --name N");
    const auto role = core::roleFromId(cli.value("role", "sysadmin"));
    if (!role || !core::isAdministrator(*role))
      throw UsageError("--role must be sysadmin, secadmin or auditadmin");
    const std::string password = readLine(in, err, "password for " + id + ": ", true);
    if (&in == &std::cin && isatty(STDIN_FILENO) && readLine(in, err, "again: ", true) != password)
      throw store::StoreRefusal("bad_value", "the two passwords differ; nothing was created");
    a.store->createAdministrator(id, *name, *role, password, now);
    out << "account " << id << " (" << *name << ", " << core::roleId(*role) << " " << core::roleNameZh(*role)
        << ") created; the password must be changed at the first login\n";
    return 0;
  }
  if (verb == "list")
  {
    const auto accounts = a.store->list();
    if (cli.has("json"))
    {
      json list = json::array();
      for (const auto &acc : accounts)
        list.push_back({{"id", acc.id},
                        {"name", acc.displayName},
                        {"roles", core::roleIds(acc.roles)},
                        {"disabled", acc.disabled},
                        {"must_change_password", acc.mustChangePassword},
                        {"totp", acc.totpEnrolled},
                        {"failed_logins", acc.failedLogins},
                        {"locked_until", beijing(acc.lockedUntil)},
                        {"password_changed_at", beijing(acc.passwordChangedAt)}});
      out << list.dump(2) << "\n";
      return 0;
    }
    for (const auto &acc : accounts)
      out << std::left << std::setw(18) << acc.id << acc.displayName << "  ["
          << (acc.roles.empty() ? std::string("no roles") : core::roleIds(acc.roles)) << "]"
          << (acc.disabled ? "  disabled" : "") << (acc.mustChangePassword ? "  must-change" : "")
          << (acc.totpEnrolled ? "  totp" : "")
          << (acc.lockedUntil > now ? "  locked until " + beijing(acc.lockedUntil) : std::string()) << "\n";
    out << accounts.size() << " account(s)\n";
    return 0;
  }
  if (verb == "add")
  {
    const std::string id = argument(args, 2, "account add needs ID --name N --as A");
    const auto name = cli.value("name");
    if (!name)
      throw UsageError("account add needs --name N");
    const std::string actor = authenticate(cli, *a.store, in, err);
    const std::string password = a.store->add(actor, id, *name, now);
    out << "account " << id << " (" << *name << ") added without roles (the security administrator gives them)\n"
        << "initial password: " << password << "\n"
        << "Hand it over in person: it is shown only once and must be changed at the first login.\n";
    return 0;
  }
  if (verb == "disable")
  {
    const std::string id = argument(args, 2, "account disable needs ID --as A");
    const std::string actor = authenticate(cli, *a.store, in, err);
    a.store->disable(actor, id, now);
    out << "account " << id << " disabled\n";
    return 0;
  }
  if (verb == "roles")
  {
    const std::string id = argument(args, 2, "account roles needs ID ROLES --as A");
    const std::string text = argument(args, 3, "account roles needs ID ROLES (comma-separated, or none) --as A");
    std::string unknown;
    const auto roles = text == "none" ? std::optional<core::RoleSet>(core::RoleSet{}) : core::parseRoleIds(text, &unknown);
    if (!roles)
      throw UsageError("unknown role '" + unknown + "' (sysadmin secadmin auditadmin duty_operator dispatcher "
                       "supervisor department_handler leader)");
    const std::string actor = authenticate(cli, *a.store, in, err);
    a.store->setRoles(actor, id, *roles, now);
    out << "account " << id << " now holds: " << (roles->empty() ? std::string("no roles") : core::roleIds(*roles)) << "\n";
    return 0;
  }
  if (verb == "reset-password")
  {
    const std::string id = argument(args, 2, "account reset-password needs ID --as A");
    const std::string actor = authenticate(cli, *a.store, in, err);
    const std::string password = a.store->resetPassword(actor, id, now);
    out << "account " << id << ": new initial password: " << password << "\n"
        << "It is shown only once and must be changed at the next login; the second factor is enrolled again.\n";
    return 0;
  }
  if (verb == "password")
  {
    const auto actor = cli.value("as");
    if (!actor)
      throw UsageError("account password needs --as ID");
    auto session = a.store->login(*actor, readLine(in, err, "current password: ", true), now);
    if (session.outcome == store::LoginOutcome::NeedsTotp)
      session = a.store->completeTotp(std::move(session), readLine(in, err, "TOTP code: ", false), now);
    if (session.outcome != store::LoginOutcome::Success)
      throw store::StoreRefusal("wrong_password", session.outcome == store::LoginOutcome::Locked
                                                    ? "account " + *actor + " is locked for " +
                                                        std::to_string(session.remaining.count()) + " s more"
                                                    : std::string("wrong account, password or code"));
    const std::string next = readLine(in, err, "new password: ", true);
    if (&in == &std::cin && isatty(STDIN_FILENO) && readLine(in, err, "again: ", true) != next)
      throw store::StoreRefusal("bad_value", "the two passwords differ; nothing was changed");
    a.store->changePassword(session, next, now);
    out << "password of " << *actor << " changed\n";
    return 0;
  }
  throw UsageError("account: unknown action '" + verb +
                   "' (create-admin, add, list, disable, roles, reset-password, password)");
}

} // namespace gd::apps::ctl
