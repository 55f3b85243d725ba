#!/usr/bin/python3
"""Generate the tiny random-weight Marian test model in models/test-tiny/.

The translator must be testable without downloading a real model, so this builds a Marian-shaped
encoder-decoder in plain torch (the `transformers` Python package is not available here), exports it
the way transformers.js expects a real Marian export to look, and writes the tokenizer and configs next
to it. The weights are random, so translations are gibberish; what the tests check is that the real
loading and batched-generation code path computes exactly what the model computes.

Run with Debian's interpreter (`/usr/bin/python3`, packages python3-torch, python3-onnx,
python3-numpy), from translator/: `pnpm run models:tiny`. The output is deterministic: running it
twice gives byte-identical files, so the committed model only changes when this script does.

Besides the model it writes reference-decodes.json: token ids of an unbatched, cache-free greedy decode
in torch for a few sentences. onnxruntime has no Python package on these machines, so the JS test
compares its batched, KV-cached decode against these ids instead.

Options (none: the committed test-tiny model, byte for byte) build other random-weight Marians the same
way; `--bench` gives the dimensions of a real opus-mt model in models/bench-marian/ (gitignored, about
540 MB) for the benchmarks in bench/, where per-call overhead must not dominate as it does with test-tiny.
"""

import argparse
import io
import itertools
import json
import math
import os
import sys
import unicodedata

import numpy as np
import onnx
import torch
from onnx import helper
from torch import nn

SEED = 20240603
D_MODEL = 32
HEADS = 4
HEAD_DIM = D_MODEL // HEADS
FFN = 64
ENCODER_LAYERS = 2
DECODER_LAYERS = 2
MAX_POSITIONS = 256
OPSET = 14

EOS_ID, UNK_ID, PAD_ID = 0, 1, 2
SPECIALS = ['</s>', '<unk>', '<pad>']
SPACE = '\u2581'  # Metaspace's "▁", marks the start of a word

# Sentences whose torch greedy decode is stored for the JS test (all covered by the vocabulary, so no
# <unk>: the Python tokenizer below does not reproduce <unk> fusing). The second one ends with </s>
# before max_new_tokens.
REFERENCE_SENTENCES = [
    'Hello world.',
    'Wie geht es dir heute?',
    'Bonjour, ça va? Je suis très content.',
    'The 3 quick foxes jumped over 12 lazy dogs (again)!',
]
REFERENCE_MAX_NEW_TOKENS = 16

MODELS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'models')
OUT_DIR = os.path.join(MODELS_DIR, 'test-tiny')
VOCAB_SIZE = None  # None: build_vocab()'s pieces only

# Helsinki-NLP/opus-mt-en-de's dimensions, for --bench.
BENCH_DIMENSIONS = {
    'd_model': 512,
    'heads': 8,
    'ffn': 2048,
    'encoder_layers': 6,
    'decoder_layers': 6,
    'vocab_size': 58101,
    'max_positions': 512,
    'out_dir': os.path.join(MODELS_DIR, 'bench-marian'),
}


# ----------------------------------------------------------------------------------------- tokenizer


def build_vocab():
    """~200 pieces: every character a chat message in a latin script is likely to hold, so nothing
    common becomes <unk>, plus some word pieces so that Viterbi has real choices to make."""
    lower = [chr(c) for c in range(ord('a'), ord('z') + 1)]
    upper = [chr(c) for c in range(ord('A'), ord('Z') + 1)]
    digits = [str(d) for d in range(10)]
    punctuation = list('.,!?;:\'"-()/&%')
    accented = list('éèêëàâäçîïôöûüùñáíóúßÉÀÇ')
    word_starts = [SPACE + c for c in lower]
    interior = ['ing', 'ed', 'er', 'es', 'en', 're', 'on', 'ion', 'tion', 'ly', 'th', 'ch', 'ou', 'an', 'st']
    words = [
        'the', 'and', 'of', 'to', 'in', 'is', 'it', 'you', 'we', 'are', 'this', 'that', 'for', 'with',
        'hello', 'good', 'morning', 'thank', 'see', 'how', 'what', 'le', 'la', 'les', 'de', 'des', 'et',
        'est', 'un', 'une', 'je', 'bonjour', 'merci', 'der', 'die', 'das', 'und', 'ist', 'ich', 'el', 'los',
        'que', 'hola', 'gracias', 'I', 'The', 'Hello',
    ]
    # Lower (more negative) scores for shorter, less specific pieces: whole words win over letters.
    groups = [
        ([SPACE] + lower + upper + digits + punctuation + accented, 7.0),
        (word_starts, 6.0),
        (interior, 5.0),
        ([SPACE + w for w in words], 4.0),
    ]
    vocab = [[s, 0.0] for s in SPECIALS]
    for pieces, base in groups:
        for piece in pieces:
            i = len(vocab)
            # A small, index-dependent offset keeps scores distinct, so ties in Viterbi are unlikely.
            vocab.append([piece, round(-(base + ((i * 37) % 101) / 1000), 4)])
    pieces = [p for p, _ in vocab]
    assert len(pieces) == len(set(pieces)), 'duplicate vocabulary piece'
    return vocab


def pad_vocab(vocab, size):
    """Fills the vocabulary up to `size` pieces with letter n-grams, with and without the word-start mark:
    with a real vocabulary's size the embedding and the output projection cost what they do in a real
    model, and text splits into fewer, longer pieces, as with a real SentencePiece vocabulary. Scored
    below the whole words and above two shorter pieces, so Viterbi prefers the longest match."""
    if size < len(vocab):
        sys.exit(f'--vocab-size {size} is below the {len(vocab)} base pieces')
    existing = {p for p, _ in vocab}
    lower = 'abcdefghijklmnopqrstuvwxyz'
    frequent = 'etaoinshrdlcu'  # 4-grams of the most frequent letters only: all 4-grams would be 900k pieces

    def ngrams():
        for n, letters in ((2, lower), (3, lower), (4, frequent)):
            for combo in itertools.product(letters, repeat=n):
                yield SPACE + ''.join(combo)
                yield ''.join(combo)

    for piece in ngrams():
        if len(vocab) >= size:
            break
        if piece not in existing:
            i = len(vocab)
            vocab.append([piece, round(-(8.0 + ((i * 37) % 101) / 1000), 4)])
    assert len(vocab) == size, f'cannot build {size} pieces, only {len(vocab)}'
    return vocab


def tokenizer_json(vocab):
    return {
        'version': '1.0',
        'truncation': None,
        'padding': None,
        'added_tokens': [
            {
                'id': i,
                'content': s,
                'single_word': False,
                'lstrip': False,
                'rstrip': False,
                'normalized': False,
                'special': True,
            }
            for i, s in enumerate(SPECIALS)
        ],
        'normalizer': {'type': 'NFKC'},
        'pre_tokenizer': {'type': 'Metaspace', 'replacement': SPACE, 'prepend_scheme': 'always', 'split': True},
        'post_processor': {
            'type': 'TemplateProcessing',
            'single': [{'Sequence': {'id': 'A', 'type_id': 0}}, {'SpecialToken': {'id': '</s>', 'type_id': 0}}],
            'pair': [
                {'Sequence': {'id': 'A', 'type_id': 0}},
                {'Sequence': {'id': 'B', 'type_id': 0}},
                {'SpecialToken': {'id': '</s>', 'type_id': 0}},
            ],
            'special_tokens': {'</s>': {'id': '</s>', 'ids': [EOS_ID], 'tokens': ['</s>']}},
        },
        'decoder': {'type': 'Metaspace', 'replacement': SPACE, 'prepend_scheme': 'always', 'split': True},
        'model': {'type': 'Unigram', 'unk_id': UNK_ID, 'vocab': vocab, 'byte_fallback': False},
    }


def encode(text, vocab):
    """Unigram Viterbi as @huggingface/tokenizers does it (NFKC, spaces to ▁ with one prepended, best
    total score, ties to the earliest-starting piece), so reference ids need no tokenizer library."""
    text = SPACE + unicodedata.normalize('NFKC', text.strip()).replace(' ', SPACE)
    scores = {p: s for p, s in vocab[len(SPECIALS):]}
    ids = {p: i for i, (p, _) in enumerate(vocab)}
    longest = max(len(p) for p in scores)
    best = [(0.0, None)] + [None] * len(text)  # best[end] = (total score, (begin, piece))
    for end in range(1, len(text) + 1):
        for begin in range(max(0, end - longest), end):
            piece = text[begin:end]
            if piece in scores and best[begin] is not None:
                total = best[begin][0] + scores[piece]
                if best[end] is None or total > best[end][0]:
                    best[end] = (total, (begin, piece))
        assert best[end] is not None, f'{text[end - 1]!r} is not in the vocabulary'
    pieces, end = [], len(text)
    while end > 0:
        begin, piece = best[end][1]
        pieces.append(piece)
        end = begin
    return [ids[p] for p in reversed(pieces)] + [EOS_ID]


def decode(ids, vocab):
    text = ''.join(vocab[i][0] for i in ids if i >= len(SPECIALS)).replace(SPACE, ' ')
    return text[1:] if text.startswith(' ') else text


# ------------------------------------------------------------------------------------------ model


def sinusoidal_table(n_positions, dim):
    """Marian's fixed position table: sines in the first half of each row, cosines in the second."""
    position = np.arange(n_positions, dtype=np.float64)[:, None]
    rate = np.power(10000.0, 2 * (np.arange(dim // 2, dtype=np.float64)) / dim)[None, :]
    angles = position / rate
    return torch.tensor(np.concatenate([np.sin(angles), np.cos(angles)], axis=1), dtype=torch.float32)


def split_heads(x):
    batch, length, _ = x.shape
    return x.reshape(batch, length, HEADS, HEAD_DIM).transpose(1, 2)


def merge_heads(x):
    batch, _, length, _ = x.shape
    return x.transpose(1, 2).reshape(batch, length, D_MODEL)


def attend(q, k, v, additive_mask):
    scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(HEAD_DIM) + additive_mask
    return torch.matmul(torch.softmax(scores, dim=-1), v)


def padding_mask(mask):
    """[batch, keys] 1/0 mask to an additive [batch, 1, 1, keys] one. A large finite negative rather
    than -inf: padded query rows then stay finite instead of becoming NaN."""
    return (1.0 - mask[:, None, None, :].to(torch.float32)) * -1e9


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.q_proj = nn.Linear(D_MODEL, D_MODEL)
        self.k_proj = nn.Linear(D_MODEL, D_MODEL)
        self.v_proj = nn.Linear(D_MODEL, D_MODEL)
        self.out_proj = nn.Linear(D_MODEL, D_MODEL)

    def keys_values(self, x):
        return split_heads(self.k_proj(x)), split_heads(self.v_proj(x))

    def forward(self, x, k, v, additive_mask):
        return self.out_proj(merge_heads(attend(split_heads(self.q_proj(x)), k, v, additive_mask)))


class FeedForward(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(D_MODEL, FFN)
        self.fc2 = nn.Linear(FFN, D_MODEL)

    def forward(self, x):
        return self.fc2(nn.functional.silu(self.fc1(x)))  # Marian's "swish"


class EncoderLayer(nn.Module):
    """Post-norm like Marian: residual first, then layer norm."""

    def __init__(self):
        super().__init__()
        self.self_attn = Attention()
        self.self_attn_layer_norm = nn.LayerNorm(D_MODEL)
        self.ffn = FeedForward()
        self.final_layer_norm = nn.LayerNorm(D_MODEL)

    def forward(self, x, additive_mask):
        k, v = self.self_attn.keys_values(x)
        x = self.self_attn_layer_norm(x + self.self_attn(x, k, v, additive_mask))
        return self.final_layer_norm(x + self.ffn(x))


class DecoderLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.self_attn = Attention()
        self.self_attn_layer_norm = nn.LayerNorm(D_MODEL)
        self.encoder_attn = Attention()
        self.encoder_attn_layer_norm = nn.LayerNorm(D_MODEL)
        self.ffn = FeedForward()
        self.final_layer_norm = nn.LayerNorm(D_MODEL)

    def forward(self, x, self_k, self_v, causal_mask, cross_k, cross_v, cross_mask):
        x = self.self_attn_layer_norm(x + self.self_attn(x, self_k, self_v, causal_mask))
        x = self.encoder_attn_layer_norm(x + self.encoder_attn(x, cross_k, cross_v, cross_mask))
        return self.final_layer_norm(x + self.ffn(x))


class TinyMarian(nn.Module):
    def __init__(self, vocab_size):
        super().__init__()
        # One embedding shared by encoder and decoder, as in Marian. The output projection is separate:
        # with random weights a tied one makes the decoder repeat its input token forever.
        self.shared = nn.Embedding(vocab_size, D_MODEL)
        self.lm_head = nn.Linear(D_MODEL, vocab_size, bias=False)
        self.register_buffer('positions', sinusoidal_table(MAX_POSITIONS, D_MODEL))
        self.encoder_layers = nn.ModuleList(EncoderLayer() for _ in range(ENCODER_LAYERS))
        self.decoder_layers = nn.ModuleList(DecoderLayer() for _ in range(DECODER_LAYERS))
        self.register_buffer('final_logits_bias', torch.zeros(vocab_size))
        with torch.no_grad():
            # Larger than Marian's 0.02 so that the input, not just the position, shapes the output.
            self.shared.weight.normal_(0.0, 0.5)
            self.lm_head.weight.normal_(0.0, 1.0)
            # Sharper cross-attention, so that each sentence gets its own output: with torch's default
            # scale the decoder mostly follows its own tokens, and batching errors would go unseen.
            for layer in self.decoder_layers:
                for linear in layer.encoder_attn.children():
                    linear.weight.mul_(3.0)
            for module in self.modules():
                if isinstance(module, nn.LayerNorm):
                    module.weight.uniform_(0.5, 1.5)
                    module.bias.normal_(0.0, 0.1)

    def embed(self, ids, offset):
        length = ids.shape[1]
        return self.shared(ids) * math.sqrt(D_MODEL) + self.positions[offset : offset + length]

    def encode(self, input_ids, attention_mask):
        x = self.embed(input_ids, 0)
        mask = padding_mask(attention_mask)
        for layer in self.encoder_layers:
            x = layer(x, mask)
        return x

    def decode(self, input_ids, encoder_attention_mask, encoder_hidden_states, past=None):
        """One decoder pass. past: per layer (self_k, self_v, cross_k, cross_v) or None for the first
        step. Returns logits and the new per-layer cache; cross-attention keys/values are computed once
        from the encoder states and handed back unchanged afterwards."""
        past_length = 0 if past is None else past[0][0].shape[2]
        length = input_ids.shape[1]
        x = self.embed(input_ids, past_length)
        query_pos = torch.arange(length)[:, None] + past_length
        key_pos = torch.arange(past_length + length)[None, :]
        causal = ((key_pos > query_pos).to(torch.float32) * -1e9)[None, None]
        cross_mask = padding_mask(encoder_attention_mask)
        present = []
        for i, layer in enumerate(self.decoder_layers):
            self_k, self_v = layer.self_attn.keys_values(x)
            if past is None:
                cross_k, cross_v = layer.encoder_attn.keys_values(encoder_hidden_states)
            else:
                self_k = torch.cat([past[i][0], self_k], dim=2)
                self_v = torch.cat([past[i][1], self_v], dim=2)
                cross_k, cross_v = past[i][2], past[i][3]
            x = layer(x, self_k, self_v, causal, cross_k, cross_v, cross_mask)
            present.append((self_k, self_v, cross_k, cross_v))
        logits = self.lm_head(x) + self.final_logits_bias
        return logits, present


# ----------------------------------------------------------------------------------- ONNX export

CACHE_PARTS = [('decoder', 'key'), ('decoder', 'value'), ('encoder', 'key'), ('encoder', 'value')]


def cache_names(prefix):
    return [f'{prefix}.{i}.{kind}.{part}' for i in range(DECODER_LAYERS) for kind, part in CACHE_PARTS]


class EncoderExport(nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask):
        return self.model.encode(input_ids, attention_mask)


class DecoderExport(nn.Module):
    """Flat tensors in and out, in the order the merged decoder's inputs and outputs use."""

    def __init__(self, model, with_past):
        super().__init__()
        self.model = model
        self.with_past = with_past

    def forward(self, encoder_attention_mask, input_ids, encoder_hidden_states, *flat_past):
        past = None
        if self.with_past:
            past = [tuple(flat_past[4 * i : 4 * i + 4]) for i in range(DECODER_LAYERS)]
        logits, present = self.model.decode(input_ids, encoder_attention_mask, encoder_hidden_states, past)
        return (logits, *[t for layer in present for t in layer])


def export(module, args, input_names, output_names, dynamic_axes):
    buffer = io.BytesIO()
    torch.onnx.export(
        module,
        args,
        buffer,
        input_names=input_names,
        output_names=output_names,
        dynamic_axes=dynamic_axes,
        opset_version=OPSET,
        do_constant_folding=True,
    )
    return onnx.load_from_string(buffer.getvalue())


def cache_axes(name):
    # The batch dim must be named exactly batch_size: transformers.js builds the empty first-step cache
    # from these names, resolving batch_size and leaving every other named dim at 0.
    if '.decoder.' in name:
        return {0: 'batch_size', 2: 'past_decoder_sequence_length' if name.startswith('past') else 'present_len'}
    return {0: 'batch_size', 2: 'encoder_sequence_length_out'}


def export_encoder(model, dummy_ids, dummy_mask):
    encoder = export(
        EncoderExport(model),
        (dummy_ids, dummy_mask),
        ['input_ids', 'attention_mask'],
        ['last_hidden_state'],
        {
            'input_ids': {0: 'batch_size', 1: 'encoder_sequence_length'},
            'attention_mask': {0: 'batch_size', 1: 'encoder_sequence_length'},
            'last_hidden_state': {0: 'batch_size', 1: 'encoder_sequence_length'},
        },
    )
    # The exporter names the fixed hidden size symbolically; say what it is.
    encoder.graph.output[0].type.tensor_type.shape.dim[2].Clear()
    encoder.graph.output[0].type.tensor_type.shape.dim[2].dim_value = D_MODEL
    return encoder


def export_decoder(model, dummy_ids, dummy_mask, with_past):
    hidden = model.encode(dummy_ids, dummy_mask)
    batch = dummy_ids.shape[0]
    step_ids = torch.full((batch, 1 if with_past else 3), PAD_ID, dtype=torch.int64)
    args = [dummy_mask, step_ids, hidden]
    names = ['encoder_attention_mask', 'input_ids', 'encoder_hidden_states']
    axes = {
        'encoder_attention_mask': {0: 'batch_size', 1: 'encoder_sequence_length'},
        'input_ids': {0: 'batch_size', 1: 'decoder_sequence_length'},
        'encoder_hidden_states': {0: 'batch_size', 1: 'encoder_sequence_length'},
        'logits': {0: 'batch_size', 1: 'decoder_sequence_length'},
    }
    if with_past:
        _, present = model.decode(torch.full((batch, 2), PAD_ID, dtype=torch.int64), dummy_mask, hidden)
        args += [t for layer in present for t in layer]
        names += cache_names('past_key_values')
        axes.update({n: cache_axes(n) for n in cache_names('past_key_values')})
    axes.update({n: cache_axes(n) for n in cache_names('present')})
    return export(DecoderExport(model, with_past), tuple(args), names, ['logits'] + cache_names('present'), axes)


def value_info(name, elem_type, dims):
    return helper.make_tensor_value_info(name, elem_type, dims)


def merge_decoders(no_past, with_past):
    """One decoder graph with an If on use_cache_branch, the layout transformers.js loads as
    decoder_model_merged.onnx. Each branch is one export with its names prefixed (a subgraph must not
    redefine outer names); weights both exports share are stored once, in the outer graph."""
    outer_inputs = {i.name for m in (no_past, with_past) for i in m.graph.input}
    initializers, by_content = [], {}

    def branch(model, prefix):
        graph = model.graph
        rename = {}
        for init in graph.initializer:
            key = (init.data_type, tuple(init.dims), init.raw_data, tuple(init.float_data), tuple(init.int64_data))
            if key not in by_content:
                by_content[key] = prefix + init.name
                copy = onnx.TensorProto()
                copy.CopyFrom(init)
                copy.name = by_content[key]
                initializers.append(copy)
            rename[init.name] = by_content[key]

        def renamed(name):
            if name == '' or name in outer_inputs:
                return name
            return rename.get(name, prefix + name)

        nodes = []
        for node in graph.node:
            if prefix == 'with_past/' and any('.encoder.' in o for o in node.output):
                # The cross-attention keys/values the with-past pass hands back unchanged (torch exports them
                # as an Identity of the past input). Optimum's merge (_unify_onnx_outputs) makes them empty
                # constants in this branch instead: its with-past export leaves them out, and transformers.js
                # keeps the first pass's ones (getPastKeyValues). Returning them would copy every row's
                # keys and values of every layer at each step, in onnxruntime and again into JavaScript,
                # for outputs nobody reads.
                assert node.op_type == 'Identity' and node.input[0].startswith('past_key_values.'), node
                empty = helper.make_tensor('const_tensor', onnx.TensorProto.FLOAT, [0, HEADS, 1, HEAD_DIM], [])
                nodes.append(
                    helper.make_node('Constant', [], [renamed(node.output[0])], name=prefix + node.name, value=empty)
                )
                continue
            copy = onnx.NodeProto()
            copy.CopyFrom(node)
            copy.name = prefix + node.name
            copy.input[:] = [renamed(n) for n in node.input]
            copy.output[:] = [renamed(n) for n in node.output]
            nodes.append(copy)
        outputs = []
        for out in graph.output:
            copy = onnx.ValueInfoProto()
            copy.CopyFrom(out)
            copy.name = renamed(out.name)
            # Shapes are declared once, on the If's outputs; the exporter's names for them differ per branch.
            for dim in copy.type.tensor_type.shape.dim:
                dim.Clear()
            if copy.name in outer_inputs:
                # A cache entry passed through unchanged: give the branch its own output name.
                copy.name = prefix + out.name
                nodes.append(helper.make_node('Identity', [out.name], [copy.name], name=copy.name))
            outputs.append(copy)
        return helper.make_graph(nodes, prefix.rstrip('/'), [], outputs)

    else_branch = branch(no_past, 'no_past/')
    then_branch = branch(with_past, 'with_past/')

    f32, i64 = onnx.TensorProto.FLOAT, onnx.TensorProto.INT64
    inputs = [
        value_info('encoder_attention_mask', i64, ['batch_size', 'encoder_sequence_length']),
        value_info('input_ids', i64, ['batch_size', 'decoder_sequence_length']),
        value_info('encoder_hidden_states', f32, ['batch_size', 'encoder_sequence_length', D_MODEL]),
    ]
    for name in cache_names('past_key_values'):
        axes = cache_axes(name)
        inputs.append(value_info(name, f32, [axes[0], HEADS, axes[2], HEAD_DIM]))
    inputs.append(value_info('use_cache_branch', onnx.TensorProto.BOOL, [1]))
    vocab_size = no_past.graph.output[0].type.tensor_type.shape.dim[2].dim_value
    outputs = [value_info('logits', f32, ['batch_size', 'decoder_sequence_length', vocab_size])]
    for name in cache_names('present'):
        axes = cache_axes(name)
        outputs.append(value_info(name, f32, [axes[0], HEADS, axes[2], HEAD_DIM]))

    node = helper.make_node(
        'If',
        ['use_cache_branch'],
        [o.name for o in outputs],
        name='optimum::if',
        then_branch=then_branch,
        else_branch=else_branch,
    )
    graph = helper.make_graph([node], 'decoder_model_merged', inputs, outputs, initializers)
    return helper.make_model(graph, opset_imports=list(no_past.opset_import))


def make_deterministic(model):
    """Drop what varies between runs or machines rather than with the model: doc strings (stack traces
    when present), producer version, value_info left by shape inference."""
    model.producer_name = 'parley-generate-tiny-marian'
    model.producer_version = '1'
    model.doc_string = ''

    def clean(graph):
        graph.doc_string = ''
        del graph.value_info[:]
        for node in graph.node:
            node.doc_string = ''
            for attr in node.attribute:
                if attr.type == onnx.AttributeProto.GRAPH:
                    clean(attr.g)
                for g in attr.graphs:
                    clean(g)

    clean(model.graph)
    onnx.checker.check_model(model)
    return model


# ---------------------------------------------------------------------------------- reference


def greedy_no_cache(model, ids, max_new_tokens):
    """Unbatched, cache-free greedy decode: the plainest statement of what the model computes. Like
    generation_config.json's bad_words_ids, <pad> is never chosen."""
    input_ids = torch.tensor([ids])
    mask = torch.ones_like(input_ids)
    hidden = model.encode(input_ids, mask)
    out = [PAD_ID]
    for _ in range(max_new_tokens):
        logits, _ = model.decode(torch.tensor([out]), mask, hidden)
        step = logits[0, -1].clone()
        step[PAD_ID] = -math.inf
        out.append(int(torch.argmax(step)))
        if out[-1] == EOS_ID:
            break
    return out


# ------------------------------------------------------------------------------------- files


def to_json(value, indent=0):
    """JSON as prettier formats it (objects one key per line, arrays on one line when they fit in
    120 columns), so `prettier --check` accepts the committed files as written."""
    pad, inner = '  ' * indent, '  ' * (indent + 1)
    if isinstance(value, dict):
        if not value:
            return '{}'
        items = [f'{inner}{json.dumps(k, ensure_ascii=False)}: {to_json(v, indent + 1)}' for k, v in value.items()]
        return '{\n' + ',\n'.join(items) + '\n' + pad + '}'
    if isinstance(value, list):
        flat = json.dumps(value, ensure_ascii=False, separators=(', ', ': '))
        nested = any(isinstance(v, (dict, list)) for v in value)
        # prettier breaks an array of several arrays/objects one element per line even when it fits.
        breaks = len(value) > 1 and all(isinstance(v, (dict, list)) and len(v) > 1 for v in value)
        if not breaks and not any(isinstance(v, dict) for v in value) and len(pad) + len(flat) <= 120:
            return flat
        if not nested and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
            return fill_numbers(value, indent)
        return '[\n' + ',\n'.join(inner + to_json(v, indent + 1) for v in value) + '\n' + pad + ']'
    return json.dumps(value, ensure_ascii=False)


def fill_numbers(value, indent):
    """prettier's fill layout for long arrays of numbers: as many per line as fit."""
    pad, inner = '  ' * indent, '  ' * (indent + 1)
    lines, line = [], ''
    for i, v in enumerate(value):
        item = json.dumps(v) + (',' if i < len(value) - 1 else '')
        if line and len(inner) + len(line) + 1 + len(item) > 120:
            lines.append(line)
            line = item
        else:
            line = f'{line} {item}' if line else item
    lines.append(line)
    return '[\n' + '\n'.join(inner + l for l in lines) + '\n' + pad + ']'


def write_json(name, value):
    with open(os.path.join(OUT_DIR, name), 'w', encoding='utf-8', newline='\n') as f:
        f.write(to_json(value) + '\n')


def parse_args():
    parser = argparse.ArgumentParser(
        description='Generate a random-weight Marian model. Without options: the committed models/test-tiny/.'
    )
    parser.add_argument(
        '--bench',
        action='store_true',
        help="opus-mt dimensions into models/bench-marian/: d_model 512, 8 heads, ffn 2048, 6+6 layers, "
        "58101 pieces, 512 positions (each still overridable by the options below)",
    )
    parser.add_argument('--out-dir', help='output directory (default models/test-tiny, or models/bench-marian)')
    parser.add_argument('--d-model', type=int, help=f'hidden size (default {D_MODEL})')
    parser.add_argument('--heads', type=int, help=f'attention heads, must divide d_model (default {HEADS})')
    parser.add_argument('--ffn', type=int, help=f'feed-forward size (default {FFN})')
    parser.add_argument('--encoder-layers', type=int, help=f'(default {ENCODER_LAYERS})')
    parser.add_argument('--decoder-layers', type=int, help=f'(default {DECODER_LAYERS})')
    parser.add_argument(
        '--vocab-size', type=int, help='pieces, filled up with letter n-grams (default: the ~200 base pieces only)'
    )
    parser.add_argument('--max-positions', type=int, help=f'position table size (default {MAX_POSITIONS})')
    parser.add_argument('--seed', type=int, help=f'torch seed (default {SEED})')
    return parser.parse_args()


def configure(args):
    """Sets the module-level dimensions the model, export and config code read."""
    global D_MODEL, HEADS, HEAD_DIM, FFN, ENCODER_LAYERS, DECODER_LAYERS, MAX_POSITIONS, OUT_DIR, VOCAB_SIZE, SEED
    preset = BENCH_DIMENSIONS if args.bench else {}

    def pick(name, current):
        value = getattr(args, name)
        return value if value is not None else preset.get(name, current)

    D_MODEL = pick('d_model', D_MODEL)
    HEADS = pick('heads', HEADS)
    FFN = pick('ffn', FFN)
    ENCODER_LAYERS = pick('encoder_layers', ENCODER_LAYERS)
    DECODER_LAYERS = pick('decoder_layers', DECODER_LAYERS)
    MAX_POSITIONS = pick('max_positions', MAX_POSITIONS)
    VOCAB_SIZE = pick('vocab_size', VOCAB_SIZE)
    SEED = pick('seed', SEED)
    OUT_DIR = os.path.abspath(pick('out_dir', OUT_DIR))
    if D_MODEL % HEADS != 0:
        sys.exit(f'--heads {HEADS} does not divide --d-model {D_MODEL}')
    HEAD_DIM = D_MODEL // HEADS


def main():
    configure(parse_args())
    torch.manual_seed(SEED)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)  # reductions in a fixed order, so the reference ids do not depend on the machine

    vocab = build_vocab()
    if VOCAB_SIZE is not None:
        vocab = pad_vocab(vocab, VOCAB_SIZE)
    model = TinyMarian(len(vocab)).eval()

    os.makedirs(os.path.join(OUT_DIR, 'onnx'), exist_ok=True)

    dummy_ids = torch.tensor([[40, 50, 60, 70, EOS_ID], [41, 51, EOS_ID, PAD_ID, PAD_ID]])
    dummy_mask = (dummy_ids != PAD_ID).to(torch.int64)
    with torch.no_grad():
        encoder = make_deterministic(export_encoder(model, dummy_ids, dummy_mask))
        no_past = export_decoder(model, dummy_ids, dummy_mask, with_past=False)
        with_past = export_decoder(model, dummy_ids, dummy_mask, with_past=True)
        decoder = make_deterministic(merge_decoders(no_past, with_past))
        onnx.save(encoder, os.path.join(OUT_DIR, 'onnx', 'encoder_model.onnx'))
        onnx.save(decoder, os.path.join(OUT_DIR, 'onnx', 'decoder_model_merged.onnx'))

        references = []
        for text in REFERENCE_SENTENCES:
            ids = encode(text, vocab)
            output_ids = greedy_no_cache(model, ids, REFERENCE_MAX_NEW_TOKENS)
            references.append(
                {'text': text, 'input_ids': ids, 'output_ids': output_ids, 'translation': decode(output_ids, vocab)}
            )

    write_json(
        'config.json',
        {
            'architectures': ['MarianMTModel'],
            'model_type': 'marian',
            'is_encoder_decoder': True,
            'vocab_size': len(vocab),
            'd_model': D_MODEL,
            'encoder_layers': ENCODER_LAYERS,
            'decoder_layers': DECODER_LAYERS,
            'encoder_attention_heads': HEADS,
            'decoder_attention_heads': HEADS,
            'encoder_ffn_dim': FFN,
            'decoder_ffn_dim': FFN,
            'activation_function': 'swish',
            'max_position_embeddings': MAX_POSITIONS,
            'scale_embedding': True,
            'static_position_embeddings': True,
            'share_encoder_decoder_embeddings': True,
            'tie_word_embeddings': False,
            'decoder_start_token_id': PAD_ID,
            'pad_token_id': PAD_ID,
            'eos_token_id': EOS_ID,
            'bos_token_id': EOS_ID,
            'use_cache': True,
        },
    )
    write_json(
        'generation_config.json',
        {
            'bad_words_ids': [[PAD_ID]],
            'bos_token_id': EOS_ID,
            'decoder_start_token_id': PAD_ID,
            'eos_token_id': EOS_ID,
            'pad_token_id': PAD_ID,
            'max_length': 64,
            'num_beams': 1,
        },
    )
    write_json('tokenizer.json', tokenizer_json(vocab))
    write_json(
        'tokenizer_config.json',
        {
            'tokenizer_class': 'MarianTokenizer',
            'eos_token': '</s>',
            'unk_token': '<unk>',
            'pad_token': '<pad>',
            'model_max_length': 512,
            'padding_side': 'right',
            'clean_up_tokenization_spaces': False,
        },
    )
    write_json(
        'reference-decodes.json',
        {
            'comment': 'Unbatched, cache-free greedy decodes in torch (scripts/generate-tiny-marian.py).',
            'max_new_tokens': REFERENCE_MAX_NEW_TOKENS,
            'decodes': references,
        },
    )
    print(f'wrote {os.path.normpath(OUT_DIR)} ({len(vocab)} pieces)', file=sys.stderr)


if __name__ == '__main__':
    main()
