// Deterministic pseudo-random prose, JSON metadata and embeddings for the benchmark memory database.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>

namespace soniabk::bench {

// Only std::mt19937_64's raw output is used: its sequence is fixed by the standard, while the
// std:: distributions differ between library implementations, so the same seed gives the same file everywhere.
class Random {
public:
    explicit Random(std::uint64_t seed) : engine_(seed) {}

    std::uint64_t bits() { return engine_(); }
    std::uint64_t below(std::uint64_t n) { return engine_() % n; }           // bias is irrelevant here
    double unit() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }  // [0, 1)
    bool chance(double p) { return unit() < p; }

    template <typename T, std::size_t N>
    const T& pick(const T (&items)[N]) { return items[below(N)]; }

private:
    std::mt19937_64 engine_;
};

inline constexpr std::string_view words[] = {
    "the", "a", "and", "to", "of", "in", "that", "is", "for", "on", "with", "as", "it", "was", "at", "by",
    "from", "about", "after", "before", "when", "while", "because", "but", "not", "also", "then", "again",
    "user", "Sonia", "she", "he", "they", "we", "morning", "evening", "weekend", "meeting", "project",
    "garden", "coffee", "tea", "train", "office", "kitchen", "doctor", "appointment", "reminder", "birthday",
    "sister", "brother", "mother", "father", "friend", "colleague", "manager", "team", "client", "invoice",
    "budget", "report", "deadline", "holiday", "flight", "hotel", "booking", "recipe", "dinner", "lunch",
    "breakfast", "running", "cycling", "swimming", "music", "piano", "guitar", "book", "novel", "chapter",
    "film", "series", "podcast", "news", "weather", "rain", "sunny", "cold", "warm", "quiet", "busy",
    "prefers", "likes", "dislikes", "asked", "mentioned", "remembered", "forgot", "planned", "cancelled",
    "moved", "started", "finished", "visited", "called", "wrote", "read", "bought", "sold", "cooked",
    "usually", "rarely", "often", "always", "never", "sometimes", "recently", "yesterday", "tomorrow",
    "next", "last", "every", "second", "first", "new", "old", "small", "large", "favourite", "important",
    "allergic", "vegetarian", "early", "late", "shared", "private", "password", "address", "phone",
    "email", "calendar", "note", "list", "shopping", "groceries", "medicine", "dentist", "school",
    "homework", "car", "bicycle", "bus", "city", "village", "Lisbon", "Berlin", "Paris", "Tokyo"};

inline constexpr std::string_view kinds[] = {"fact", "preference", "episode", "task", "reflection",
                                                         "conversation"};
inline constexpr std::string_view sources[] = {"chat", "voice", "email", "calendar", "import"};
inline constexpr std::string_view tag_names[] = {"family", "work", "health", "food", "travel",
                                                              "music", "reading", "sport", "home", "money",
                                                              "friends", "plans"};

// One memory's text: 1 to 8 sentences of 5 to 20 words (short notes to long paragraphs).
inline void append_prose(Random& rng, std::string& out) {
    const std::uint64_t sentences = 1 + rng.below(4) + rng.below(5);
    for (std::uint64_t s = 0; s < sentences; ++s) {
        if (s > 0) out += ' ';
        const std::uint64_t length = 5 + rng.below(16);
        for (std::uint64_t w = 0; w < length; ++w) {
            if (w > 0) out += rng.chance(0.06) ? ", " : " ";
            const std::size_t start = out.size();
            out += rng.pick(words);
            if (w == 0 && out[start] >= 'a' && out[start] <= 'z') out[start] = static_cast<char>(out[start] - 'a' + 'A');
        }
        out += '.';
    }
}

// A unit-length vector of `Dims` float32 values, as an embedding model would store it.
template <std::size_t Dims>
void fill_embedding(Random& rng, std::array<float, Dims>& v) {
    double norm = 0;
    for (float& x : v) {
        x = static_cast<float>(rng.unit() * 2.0 - 1.0);
        norm += static_cast<double>(x) * x;
    }
    const auto scale = static_cast<float>(1.0 / std::sqrt(norm));
    for (float& x : v) x *= scale;
}

}  // namespace soniabk::bench
