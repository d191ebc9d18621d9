//! The words of an exercise name, as both the exercise metadata rules
//! ([`super::exercise_db`]) and the name matcher ([`super::matcher`]) read
//! them: lowercase, split at anything that is not a letter or a digit
//! (spaces, hyphens, slashes, commas, parentheses), apostrophes dropped
//! (`Farmer's` is `farmers`), and each word made singular by the common
//! English plural endings, so `Pull-Ups`, `pullups` and `Pull Up` differ
//! only in spacing.

/// The words of `text`, lowercase and singular.
pub(crate) fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        if c == '\'' || c == '’' {
            continue;
        }
        if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        } else if !word.is_empty() {
            out.push(singular(&word));
            word.clear();
        }
    }
    if !word.is_empty() {
        out.push(singular(&word));
    }
    out
}

/// `word` without its plural ending: `presses` → `press`, `flies` → `fly`,
/// `crunches` → `crunch`, `calves` → `calf`, `curls` → `curl`, `ups` →
/// `up`. Words of at most two letters and words ending in `ss` or `us` are
/// kept as they are.
pub(crate) fn singular(word: &str) -> String {
    let n = word.len();
    if n <= 2 || !word.is_ascii() {
        return word.to_string();
    }
    if let Some(stem) = word.strip_suffix("sses") {
        return format_stem(stem, "ss");
    }
    if let Some(stem) = word.strip_suffix("ies") {
        return format_stem(stem, "y");
    }
    if let Some(stem) = word.strip_suffix("lves") {
        return format_stem(stem, "lf");
    }
    for ending in ["ches", "shes", "xes"] {
        if word.ends_with(ending) {
            return word[..n - 2].to_string();
        }
    }
    if word.ends_with("ss") || word.ends_with("us") {
        return word.to_string();
    }
    match word.strip_suffix('s') {
        Some(stem) => stem.to_string(),
        None => word.to_string(),
    }
}

fn format_stem(stem: &str, ending: &str) -> String {
    let mut out = String::with_capacity(stem.len() + ending.len());
    out.push_str(stem);
    out.push_str(ending);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lowercase_singular_and_split_at_punctuation() {
        assert_eq!(words("Pull-Ups"), ["pull", "up"]);
        assert_eq!(words("Farmer's Walk"), ["farmer", "walk"]);
        assert_eq!(
            words("Triceps Pushdown (Cable - Straight Bar)"),
            ["tricep", "pushdown", "cable", "straight", "bar"]
        );
        assert_eq!(words("3/4 Sit-Up"), ["3", "4", "sit", "up"]);
        assert_eq!(words("卧推"), ["卧推"]);
        assert!(words(" - ").is_empty());
    }

    #[test]
    fn plural_endings() {
        for (plural, one) in [
            ("presses", "press"),
            ("press", "press"),
            ("flies", "fly"),
            ("flyes", "flye"),
            ("crunches", "crunch"),
            ("calves", "calf"),
            ("curls", "curl"),
            ("lunges", "lunge"),
            ("biceps", "bicep"),
            ("abs", "ab"),
            ("ups", "up"),
            ("crossovers", "crossover"),
        ] {
            assert_eq!(singular(plural), one, "{plural}");
        }
    }
}
