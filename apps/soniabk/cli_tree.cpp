#include "cli_tree.hpp"

#include <algorithm>

namespace soniabk::cli {

std::vector<CLI::App*> subcommands_of(const CLI::App& app) {
    auto& mutable_app = const_cast<CLI::App&>(app);  // CLI11 hands out mutable children only from a mutable app
    return mutable_app.get_subcommands([](CLI::App* sub) { return !sub->get_name().empty(); });
}

void for_each_command(CLI::App& root, const std::function<void(CLI::App&)>& visit) {
    visit(root);
    for (CLI::App* sub : subcommands_of(root)) for_each_command(*sub, visit);
}

std::vector<const CLI::App*> lineage(const CLI::App& app) {
    std::vector<const CLI::App*> chain;
    for (const CLI::App* at = &app; at != nullptr; at = at->get_parent()) chain.insert(chain.begin(), at);
    return chain;
}

std::string command_path(const CLI::App& app) {
    std::string path;
    for (const CLI::App* at : lineage(app)) {
        if (at->get_parent() == nullptr) continue;
        path += (path.empty() ? "" : " ") + at->get_name();
    }
    return path;
}

const CLI::App& chosen_command(const CLI::App& root) {
    const CLI::App* current = &root;
    for (auto subs = current->get_subcommands(); !subs.empty(); subs = current->get_subcommands()) {
        current = subs.front();
    }
    return *current;
}

bool is_positional(const CLI::Option& option) {
    return option.get_lnames().empty() && option.get_snames().empty();
}

std::vector<CLI::Option*> named_options(const CLI::App& app) {
    auto& mutable_app = const_cast<CLI::App&>(app);
    const CLI::Option* help = app.get_help_ptr();
    const CLI::Option* help_all = app.get_help_all_ptr();
    return mutable_app.get_options([&](CLI::Option* o) {
        return o != help && o != help_all && !o->get_lnames().empty();
    });
}

std::string key_of(const CLI::Option& option) { return option.get_lnames().front(); }

CLI::Option* find_named_option(const CLI::App& app, const std::string& key) {
    for (CLI::Option* o : named_options(app)) {
        const auto& names = o->get_lnames();
        if (std::find(names.begin(), names.end(), key) != names.end()) return o;
    }
    return nullptr;
}

bool takes_value(const CLI::Option& option) { return option.get_expected_max() > 0; }

std::vector<const CLI::Validator*> validators_of(const CLI::Option& option) {
    auto& mutable_option = const_cast<CLI::Option&>(option);
    std::vector<const CLI::Validator*> validators;
    try {
        for (int i = 0;; ++i) validators.push_back(mutable_option.get_validator(i));
    } catch (const CLI::OptionNotFound&) {
        return validators;
    }
}

std::vector<std::string> choices_of(const CLI::Option& option) {
    for (const CLI::Validator* v : validators_of(option)) {
        const std::string set = v->get_description();
        if (set.size() < 2 || set.front() != '{' || set.back() != '}') continue;
        std::vector<std::string> values;
        for (std::string item : CLI::detail::split(set.substr(1, set.size() - 2), ',')) {
            if (const auto arrow = item.find("->"); arrow != std::string::npos) item.resize(arrow);  // Transformer maps
            if (!item.empty()) values.push_back(item);
        }
        return values;
    }
    return {};
}

ValueKind value_kind(const CLI::Option& option) {
    if (!takes_value(option)) return ValueKind::flag;
    std::string type = option.get_type_name();
    type = type.substr(0, type.find(':'));
    if (type == "INT") return ValueKind::integer;
    if (type == "UINT") return ValueKind::unsigned_integer;
    if (type == "FLOAT" || type == "NUMBER") return ValueKind::number;
    if (type == "BOOLEAN") return ValueKind::boolean;
    if (type == "DURATION") return ValueKind::duration;
    if (type == "PATH" || type == "FILE" || type == "DIR") return ValueKind::path;
    if (type == "TEXT" || type.empty() || !choices_of(option).empty()) return ValueKind::text;
    for (const CLI::Validator* v : validators_of(option)) {
        const std::string& name = v->get_name();
        if (name == "COUNT") return ValueKind::integer;
        if (name == "NUMBER" || name == "NONNEGATIVE" || name == "POSITIVE" ||
            v->get_description().find(" in [") != std::string::npos) {
            return ValueKind::number;
        }
    }
    return ValueKind::scalar;
}

namespace {

std::size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

}  // namespace

std::string nearest(const std::string& word, const std::vector<std::string>& candidates) {
    std::string best;
    std::size_t best_distance = 3;
    for (const std::string& candidate : candidates) {
        const std::size_t d = edit_distance(word, candidate);
        if (d < best_distance || (candidate.starts_with(word) && best.empty())) {
            best_distance = std::min(d, best_distance);
            best = candidate;
        }
    }
    return best;
}

}  // namespace soniabk::cli
