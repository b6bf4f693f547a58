"""The distributional idea beyond words: nodes of a graph that appear in the same random walks (DeepWalk) (Q14)."""

import random


def community_graph(num_communities: int = 4, size: int = 10, p_in: float = 0.5, p_out: float = 0.02,
                    seed: int = 0) -> dict[str, list[str]]:
    """A random graph whose nodes 'c<k>n<i>' link often inside their community and rarely across (Q14)."""
    if num_communities < 2 or size < 2 or not 0 <= p_out < p_in <= 1:
        raise ValueError(f"need >= 2 communities of >= 2 nodes and 0 <= p_out < p_in <= 1, got "
                         f"{num_communities}, {size}, {p_out}, {p_in}")
    rng = random.Random(seed)
    nodes = [f"c{c}n{i}" for c in range(num_communities) for i in range(size)]
    edges: dict[str, list[str]] = {n: [] for n in nodes}
    for a_index, a in enumerate(nodes):
        for b in nodes[a_index + 1 :]:
            same = a.split("n")[0] == b.split("n")[0]
            if rng.random() < (p_in if same else p_out):
                edges[a].append(b)
                edges[b].append(a)
    return edges


def random_walks(graph: dict[str, list[str]], walks_per_node: int = 10, length: int = 10,
                 seed: int = 0) -> list[list[str]]:
    """Uniform random walks from every node: the 'sentences' of a graph (Q14)."""
    if walks_per_node < 1 or length < 2:
        raise ValueError(f"need walks_per_node >= 1 and length >= 2, got {walks_per_node}, {length}")
    rng = random.Random(seed)
    walks = []
    for _ in range(walks_per_node):
        for start in graph:
            walk = [start]
            while len(walk) < length and graph[walk[-1]]:
                walk.append(rng.choice(graph[walk[-1]]))
            walks.append(walk)
    return walks
