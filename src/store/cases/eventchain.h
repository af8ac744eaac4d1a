#pragma once
// The hash chain over a case's history (issue 14): each stored event carries
//     chain = SHA-256(previous chain || its fields, each length-prefixed)
// where the first "previous chain" is SHA-256("GridDispatch case " || case number), and an
// imported closed case's history row (case_histories) counts as one link over its JSON text.
// Rewriting an event's actor or note with the sqlite3 shell, deleting or reordering events,
// or moving them to another case breaks the chain at that row, which `verify` names.
// (Someone who recomputes SHA-256 by hand can forge it; the chain catches edits made without
// the program, which is what the append-only triggers alone did not.)

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gd::store::eventchain {

using Digest = std::vector<std::uint8_t>; // 32 bytes

//! The link before a case's first event.
Digest genesis(std::string_view caseNumber);

//! The link of one event, from the stored texts (from_state absent for a report).
Digest link(const Digest &previous, std::int64_t seq, std::string_view action, std::string_view actor,
            std::string_view at, const std::optional<std::string_view> &fromState, std::string_view toState,
            std::string_view note, std::string_view data);

// A new case's number is drawn on the server in the statement that writes its report
// (CaseStore::report on PostgreSQL), so the server finishes that first link with sha256():
//     link = SHA-256(SHA-256(genesisHead() || int8(length) || number) || linkFields(…))
// which is the same digest as link(genesis(number), …): both are built from these bytes.

//! What genesis() hashes before the case number's length and text.
std::vector<std::uint8_t> genesisHead();

//! What link() hashes after the previous link.
std::vector<std::uint8_t> linkFields(std::int64_t seq, std::string_view action, std::string_view actor,
                                     std::string_view at, const std::optional<std::string_view> &fromState,
                                     std::string_view toState, std::string_view note, std::string_view data);

//! The link of an imported history row: its event count and its JSON text.
Digest historyLink(const Digest &previous, std::int64_t eventCount, std::string_view eventsJson);

//! Lower-case hex, for messages.
std::string hex(const Digest &digest);

} // namespace gd::store::eventchain
