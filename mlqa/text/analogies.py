"""Analogy test on the generated corpus: singular is to plural as singular is to ? (Q14)."""

from mlqa.text.corpus import FAMILIES
from mlqa.text.vectors import WordVectors


def number_analogy_accuracy(vectors: WordVectors) -> dict[str, float]:
    """For every a:a_plural :: c:? with a and c from different families, is the top answer of 3CosAdd a plural of
    c's family? Nouns of one family share all contexts by construction, so that is the finest answer the corpus
    can support. Also returns the chance of picking such a word at random (Q14)."""
    cells = {(family, number): {pair[number] for pair in pairs}
             for family, pairs in FAMILIES.items() for number in (0, 1)}
    hits, total = 0, 0
    for family_a, pairs_a in FAMILIES.items():
        for family_c, pairs_c in FAMILIES.items():
            if family_a == family_c:
                continue
            for singular_a, plural_a in pairs_a:
                for singular_c, _ in pairs_c:
                    answer = vectors.analogy(singular_a, plural_a, singular_c, k=1)[0][0]
                    hits += answer in cells[(family_c, 1)]
                    total += 1
    chance = len(cells[("animal", 1)]) / (len(vectors.words) - 3)
    return {"accuracy": hits / total, "chance": chance, "questions": total}


def family_purity(vectors: WordVectors, k: int = 4) -> float:
    """Mean fraction of each generated noun's k nearest nouns that belong to its own family (Q14).

    Only nouns compete as neighbours; picking them at random scores 9 / 39 (the other nine nouns of a family among
    the other 39 nouns).
    """
    family_of = {word: family for family, pairs in FAMILIES.items() for pair in pairs for word in pair}
    nouns = WordVectors(list(family_of), vectors.matrix[[vectors.index[w] for w in family_of]])
    shares = [sum(family_of[n] == family_of[w] for n, _ in nouns.nearest(w, k)) / k for w in family_of]
    return sum(shares) / len(shares)
