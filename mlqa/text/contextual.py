"""Where one vector per word strains: the senses of a word, static versus contextual (MiniLM) vectors (Q14)."""

import itertools

import torch
from tokenizers import Tokenizer
from torch import Tensor, nn

# Two senses per word, four sentences each, written for this notebook.
SENSE_SENTENCES: dict[str, dict[str, list[str]]] = {
    "bank": {
        "river": ["We sat on the bank of the river and watched the ducks.",
                  "The boat drifted toward the muddy bank.",
                  "Reeds grow thick along the bank of the stream.",
                  "The flood washed away part of the bank near the bridge."],
        "money": ["I deposited my salary at the bank this morning.",
                  "The bank raised its interest rates again.",
                  "She asked the bank for a loan to buy a house.",
                  "My bank charges a fee for every transfer."],
    },
    "bat": {
        "animal": ["A bat flew out of the cave at dusk.",
                   "The bat hung upside down from the branch.",
                   "Each night the bat hunts moths by sound.",
                   "We found a sleeping bat in the attic."],
        "sport": ["He swung the bat and hit the ball over the fence.",
                  "She bought a new cricket bat for the season.",
                  "The player gripped the bat tightly before the pitch.",
                  "A wooden bat cracked during the game."],
    },
    "spring": {
        "season": ["The flowers bloom early in spring.",
                   "We plant tomatoes every spring after the frost.",
                   "Spring brings longer days and warmer rain.",
                   "The birds return north in the spring."],
        "coil": ["The spring in the old mattress squeaked.",
                 "A steel spring pushes the valve closed.",
                 "He replaced the broken spring inside the pen.",
                 "The clock stopped when its spring snapped."],
    },
    "bark": {
        "dog": ["The dogs bark whenever the mail arrives.",
                "I heard a loud bark from the neighbour's yard.",
                "Our puppy lets out a bark when it wants to play.",
                "The guard dog gave a warning bark at the gate."],
        "tree": ["The bark of the old oak was rough and grey.",
                 "Beetles live under the bark of dead trees.",
                 "Birch bark peels off in thin white strips.",
                 "The deer scraped the bark off the young tree."],
    },
}


def word_token_vectors(encoder: nn.Module, tokenizer: Tokenizer, sentences: list[str], word: str,
                       static: bool = False) -> Tensor:
    """One vector per sentence for the first occurrence of `word`: its word pieces' vectors averaged (Q14).

    Contextual: the encoder's last hidden states. `static=True`: the encoder's input token-embedding table,
    which gives a word the same vector in every sentence (the encoder must have `token_embedding`).
    """
    vectors = []
    for sentence in sentences:
        encoding = tokenizer.encode(sentence)
        start = next((i for i in range(len(sentence)) if sentence[i:].lower().startswith(word)
                      and (i == 0 or not sentence[i - 1].isalpha())
                      and not sentence[i + len(word) : i + len(word) + 1].isalpha()), None)
        if start is None:
            raise ValueError(f"{word!r} does not occur as a word in {sentence!r}")
        pieces = [i for i, (a, b) in enumerate(encoding.offsets) if a >= start and b <= start + len(word) and b > a]
        ids = torch.tensor([encoding.ids])
        with torch.no_grad():
            if static:
                hidden = encoder.token_embedding(ids)
            else:
                hidden = encoder(ids, torch.ones_like(ids))
        vectors.append(hidden[0, pieces].mean(0))
    return torch.stack(vectors)


def sense_similarity(encoder: nn.Module, tokenizer: Tokenizer, senses: dict[str, list[str]], word: str,
                     static: bool = False) -> dict[str, float]:
    """Mean cosine similarity of `word`'s vectors within a sense and across the two senses (Q14)."""
    if len(senses) != 2 or min(len(s) for s in senses.values()) < 2:
        raise ValueError(f"need two senses with at least two sentences each, got {[len(s) for s in senses.values()]}")
    groups = [torch.nn.functional.normalize(word_token_vectors(encoder, tokenizer, s, word, static), dim=-1)
              for s in senses.values()]
    within = [(g[i] @ g[j]).item() for g in groups for i, j in itertools.combinations(range(len(g)), 2)]
    across = (groups[0] @ groups[1].T).flatten().tolist()
    return {"within sense": sum(within) / len(within), "across senses": sum(across) / len(across)}
