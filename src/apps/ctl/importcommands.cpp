#include "apps/ctl/importcommands.h"
#include "apps/ctl/ctloptions.h"

#include "core/case.h"
#include "core/casenumber.h"
#include "core/catalog.h"
#include "feed/fieldframe.h"
#include "core/slaclock.h"
#include "store/cases/caseeventjson.h"
#include "store/grids/caseimport.h"
#include "store/cases/casestore.h"
#include "store/config/configdir.h"
#include "store/database.h"
#include "store/schema.h"
#include "store/storeerror.h"
#include "store/timetext.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <functional>
#include <iostream>
#include <stdexcept>
#include <vector>

namespace gd::apps::ctl {

namespace {

using nlohmann::json;


//! A line that cannot be imported; what() reads "FILE:LINE: problem".
class BadLine : public std::runtime_error
{
  public:
    using std::runtime_error::runtime_error;
};

/**
 * Reads a JSON Lines file of whole cases and checks each against the workflow, so that only
 * histories the console itself could have written reach the store. A line is either an array
 * of events as store::caseEventToJson() writes them, or an object {"number", "events"} as
 * `griddispatch-ctl case NUMBER --json` prints it (compacted to one line, e.g. with jq -c);
 * there the events may leave out "case", and "from" of the report may be empty.
 */
class CaseLines
{
  public:
    CaseLines(std::istream &in, std::string fileName, const core::Workflow &workflow,
              const core::CategoryCatalog &catalog, core::TimePoint now)
      : mIn(in)
      , mFileName(std::move(fileName))
      , mWorkflow(workflow)
      , mCatalog(catalog)
      , mNow(now)
    {}

    //! The next case, valid until the next call; nullptr at the end. Throws BadLine.
    const core::Case *next()
    {
      while (std::getline(mIn, mText))
      {
        ++mLine;
        if (mText.find_first_not_of(" \t\r") == std::string::npos)
          continue;
        mCase = replay(eventsOf(parse()));
        mLineOfCase.push_back(mLine);
        return &mCase;
      }
      if (mIn.bad())
        throw BadLine(mFileName + ":" + std::to_string(mLine + 1) + ": cannot be read");
      return nullptr;
    }

    //! The line of the case at \a caseIndex (0-based, in file order).
    std::size_t lineOf(std::size_t caseIndex) const
    {
      return caseIndex < mLineOfCase.size() ? mLineOfCase[caseIndex] : 0;
    }

  private:
    [[noreturn]] void fail(const std::string &problem) const
    {
      throw BadLine(mFileName + ":" + std::to_string(mLine) + ": " + problem);
    }

    json parse() const
    {
      try
      {
        return json::parse(mText);
      }
      catch (const json::parse_error &e)
      {
        // "[json.exception.parse_error.101] parse error at line 1, column 7: ..." : the line is ours.
        std::string why = e.what();
        if (const auto end = why.find("] "); end != std::string::npos)
          why.erase(0, end + 2);
        if (const auto at = why.find("at line 1, "); at != std::string::npos)
          why.erase(at + 3, 8);
        fail("not JSON: " + why);
      }
    }

    std::vector<core::CaseEvent> eventsOf(const json &line) const
    {
      std::string number;
      const json *list = &line;
      if (line.is_object())
      {
        const auto events = line.find("events");
        if (events == line.end() || !events->is_array())
          fail("field \"events\" must be a list of case events");
        list = &*events;
        if (const auto n = line.find("number"); n != line.end())
        {
          if (!n->is_string())
            fail("field \"number\" must be a case number");
          number = n->get<std::string>();
        }
      }
      else if (!line.is_array())
      {
        fail("expected a list of case events, or an object with \"number\" and \"events\"");
      }
      if (list->empty())
        fail("a case needs at least its report event");
      std::vector<core::CaseEvent> events;
      events.reserve(list->size());
      for (std::size_t i = 0; i < list->size(); ++i)
      {
        const json &item = (*list)[i];
        const auto which = [i] { return "event " + std::to_string(i + 1) + ": "; }; // only when failing
        if (!item.is_object())
          fail(which() + "expected a JSON object");
        if (const auto seq = item.find("seq"); seq != item.end() && *seq != json(i + 1))
          fail(which() + "field \"seq\" is " + seq->dump() + ", expected " + std::to_string(i + 1));
        checkLimits(item, which);
        const bool noCase = !number.empty() && !item.contains("case");
        const bool noFrom = i == 0 && item.value("from", json()) == json(""); // `case --json` leaves it empty
        try
        {
          if (noCase || noFrom)
          {
            json e = item;
            if (noCase)
              e["case"] = number;
            if (noFrom)
              e["from"] = "reported";
            events.push_back(store::caseEventFromJson(e));
          }
          else
          {
            events.push_back(store::caseEventFromJson(item));
          }
        }
        catch (const std::invalid_argument &bad)
        {
          std::string why = bad.what();
          if (why.rfind("case event: ", 0) == 0)
            why.erase(0, 12);
          fail(which() + why);
        }
      }
      return events;
    }

    // The field protocol's limits (field-protocol.md) hold for imported cases too: what a
    // terminal could not have sent, a migration may not bring in either.
    template<typename Which> void checkLimits(const json &item, const Which &which) const
    {
      // Any text: no NUL (C tools and exports cut there), at most 4,000 characters.
      std::function<void(const json &, const std::string &)> texts = [&](const json &value, const std::string &path) {
        if (value.is_string())
        {
          const std::string &text = value.get_ref<const std::string &>();
          if (text.find('\0') != std::string::npos)
            fail(which() + "field \"" + path + "\" contains a NUL character");
          const std::size_t chars = utf8Length(text);
          const std::size_t limit = path == "data.title" ? feed::kMaxTitleChars : feed::kMaxDescriptionChars;
          if (chars > limit)
            fail(which() + "field \"" + path + "\" is " + std::to_string(chars) + " characters long; at most " +
                 std::to_string(limit) + " are allowed");
        }
        else if (value.is_object())
          for (const auto &[key, member] : value.items())
            texts(member, path.empty() ? key : path + "." + key);
        else if (value.is_array())
          for (std::size_t i = 0; i < value.size(); ++i)
            texts(value[i], path + "[" + std::to_string(i) + "]");
      };
      texts(item, "");
      // Times: a real second (23:59:60 was silently made 23:59:59), within the years a
      // governance center has records for, and not in the future.
      if (const auto at = item.find("at"); at != item.end() && at->is_string())
      {
        const std::string &text = at->get_ref<const std::string &>();
        if (text.size() >= 19 && text[10] == 'T' && text.compare(17, 2, "60") == 0)
          fail(which() + "field \"at\" is '" + text + "': second 60 (a leap second) is not a time the store keeps");
        if (const auto t = core::parseRfc3339(text))
        {
          if (core::beijingDate(*t).year() < std::chrono::year(kFirstYear))
            fail(which() + "field \"at\" is '" + text + "': before " + std::to_string(kFirstYear) +
                 ", not a case record");
          if (*t > mNow + std::chrono::hours(24))
            fail(which() + "field \"at\" is '" + text + "': in the future");
        }
      }
      // The report's category must be one of the catalog: an unknown one has no deadline and
      // would never be overdue.
      if (item.value("action", std::string()) == "report")
      {
        const auto data = item.find("data");
        const std::string category =
          data != item.end() && data->is_object() ? data->value("category", std::string()) : std::string();
        if (!mCatalog.find(category))
          fail(which() + "field \"data.category\" is '" + category +
               "', not a category of the catalog (griddispatch-ctl categories lists them)");
      }
    }

    static std::size_t utf8Length(const std::string &text)
    {
      std::size_t n = 0;
      for (const char c : text)
        n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
      return n;
    }

    static constexpr int kFirstYear = 1990;

    // The history must be one the workflow allows, step by step, from the report on.
    core::Case replay(std::vector<core::CaseEvent> &&events) const
    {
      const std::string &number = events.front().caseNumber;
      std::string why;
      if (!core::CaseNumber::parse(number, &why))
        fail("event 1: field \"case\": " + why);
      core::Case c(number);
      for (std::size_t i = 0; i < events.size(); ++i)
      {
        core::CaseEvent &e = events[i];
        const auto which = [&] {
          return "event " + std::to_string(i + 1) + " (" + std::string(core::caseActionName(e.action)) + "): ";
        };
        const auto name = [](core::CaseState s) { return "'" + std::string(core::caseStateName(s)) + "'"; };
        if (e.caseNumber != number)
          fail(which() + "field \"case\" is '" + e.caseNumber + "' but the line's case is '" + number + "'");
        if (i == 0 && e.action != core::CaseAction::Report)
          fail(which() + "field \"action\": a case's history starts with its report");
        if (i > 0)
        {
          if (e.at < events[i - 1].at)
            fail(which() + "field \"at\" is earlier than the event before it");
          if (e.from != c.state())
            fail(which() + "field \"from\" is " + name(e.from) + " but the case is " + name(c.state()) + " here");
        }
        if (e.action == core::CaseAction::Merge && e.to != core::CaseState::Merged)
        {
          // The absorbing side of a merge (Workflow::merge): the case keeps its state.
          if (e.to != c.state() || core::isTerminalState(c.state()))
            fail(which() + "field \"to\": a case absorbing another keeps its state " + name(c.state()));
        }
        else
        {
          core::CaseCommand command;
          command.action = e.action;
          command.actor = e.actor;
          command.at = e.at;
          command.note = e.note;
          command.details = std::move(e.details); // lent for the check, given back below
          const auto giveBack = [&] { e.details = std::move(command.details); };
          if (const auto refusal = mWorkflow.check(c, command))
            fail(which() + "refused (" + refusal->code + "): " + refusal->reason);
          const core::CaseState to = mWorkflow.apply(c, command).to;
          giveBack();
          if (to != e.to)
            fail(which() + "field \"to\" is " + name(e.to) + " but this action leads from " + name(c.state()) + " to " +
                 name(to));
        }
        try
        {
          c.apply(e);
        }
        catch (const std::invalid_argument &bad)
        {
          fail(which() + bad.what());
        }
      }
      return c;
    }

    std::istream &mIn;
    std::string mFileName;
    const core::Workflow &mWorkflow;
    const core::CategoryCatalog &mCatalog;
    core::TimePoint mNow;
    std::string mText;
    std::size_t mLine = 0;
    core::Case mCase;
    std::vector<std::size_t> mLineOfCase;
};

// Lines in the file (an upper bound of its cases): known up front, a large import rebuilds the
// indexes in bulk from its first row. Reading a file once more costs little beside parsing it.
std::size_t countLines(const std::string &file)
{
  std::ifstream in(file, std::ios::binary);
  std::vector<char> buffer(1 << 20);
  std::size_t lines = 0;
  char last = '\n';
  while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0)
  {
    const auto n = static_cast<std::size_t>(in.gcount());
    lines += static_cast<std::size_t>(std::count(buffer.data(), buffer.data() + n, '\n'));
    last = buffer[n - 1];
  }
  return lines + (last != '\n' ? 1 : 0);
}

} // namespace

const char *importCommandsHelp()
{
  return "  import-cases FILE         import whole cases with their history (migration from a legacy\n"
         "                            system): JSON Lines, one case per line as a list of events\n"
         "                            (or as 'case NUMBER --json' prints it, on one line); checked\n"
         "                            against the workflow; nothing is imported when a line is bad";
}

int runImportCommand(const CommandLine &cli, std::ostream &out, std::ostream &err)
{
  const char *const prefix = "griddispatch-ctl: import-cases: ";
  try
  {
    if (cli.positional().size() != 2)
      throw UsageError("import-cases needs exactly one FILE (JSON Lines: one case per line)");
    const std::string file = cli.positional()[1];
    const store::StoreLocation location = dbLocation(cli);
    const std::string dbFile = location.display();
    std::ifstream in(file, std::ios::binary);
    if (!in)
    {
      err << prefix << "cannot read " << file << "\n";
      return 1;
    }
    const auto config =
      store::ConfigDirectory::load(cli.value("config").value_or(store::ConfigDirectory::defaultPath().string()));
    const core::Workflow workflow(&config->departments);
    const core::SlaClock clock(config->catalog, config->calendar);
    auto db = store::Schema::open(location);
    store::CaseStore cases(*db, workflow, &clock);
    CaseLines lines(in, file, workflow, config->catalog, timeOption(cli, "now", store::nowUtc()));
    store::CaseImportOptions options;
    options.expectedCases = countLines(file);
    options.exclusive = true; // a migration; with the store in use elsewhere the import keeps the WAL
    store::CaseImportReport report;
    try
    {
      report = store::CaseImporter(*db, cases, options).run([&] { return lines.next(); });
    }
    catch (const BadLine &e)
    {
      err << prefix << e.what() << "; nothing was imported\n";
      return 1;
    }
    catch (const store::CaseImportError &e)
    {
      err << prefix << file << ":" << lines.lineOf(e.caseIndex()) << ": " << e.what() << "; nothing was imported\n";
      return 1;
    }
    const double rate = report.totalSeconds > 0 ? static_cast<double>(report.cases) / report.totalSeconds : 0;
    if (cli.has("json"))
      out << json{{"file", file},       {"db", dbFile},
                  {"cases", report.cases}, {"events", report.events},
                  {"seconds", report.totalSeconds}, {"indexes_rebuilt", report.bulk},
                  {"rollback_journal", report.rollbackJournal}}
               .dump(2)
          << "\n";
    else
      out << "imported " << report.cases << " case(s) with " << report.events << " event(s) from " << file << " into "
          << dbFile << " in " << report.totalSeconds << " s (" << static_cast<long long>(rate) << " cases/s)\n";
    return 0;
  }
  catch (const UsageError &e)
  {
    err << prefix << e.what() << "\n";
    return 2;
  }
}

} // namespace gd::apps::ctl
