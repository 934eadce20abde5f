// mekong search: a dependency-free client for the static index that `mekong build` writes
// (see src/search in mekong). Text is turned into terms exactly as the index was built:
// NFC, lower case, words by Intl.Segmenter (dictionary-based for Khmer), Vietnamese accents
// folded with đ → d, English plurals stemmed.
(() => {
  "use strict";
  const form = document.querySelector("[data-search]");
  if (!form) return;
  const settings = JSON.parse(form.dataset.settings);
  const input = form.querySelector("input[type=search]");
  const everyLanguage = form.querySelector("[data-all-languages]");
  const status = document.querySelector("[data-search-status]");
  const list = document.querySelector("[data-search-results]");
  const numbers = new Intl.NumberFormat(settings.numberLocale);
  const plurals = new Intl.PluralRules(settings.numberLocale.split("-u-")[0]);
  // Digit zero of the numbering systems a site may ask for with `numerals`. Some browsers
  // (Debian's Chromium) ignore `-u-nu-khmr` and print ASCII digits: those are mapped here.
  const zeros = { khmr: 0x17e0, laoo: 0x0ed0, thai: 0x0e50, mymr: 0x1040, beng: 0x09e6, deva: 0x0966, arab: 0x0660 };
  const wanted = (settings.numberLocale.match(/-u-(?:.*-)?nu-([a-z]+)/) || [])[1];
  const zero = zeros[wanted];
  const formatCount = (n) => {
    const text = numbers.format(n);
    return zero ? text.replace(/[0-9]/g, (d) => String.fromCodePoint(zero + Number(d))) : text;
  };
  // Every plural form of the count message was written into the page at build time.
  const countForm = (category) => form.dataset[`count${category[0].toUpperCase()}${category.slice(1)}`];
  const countText = (n) =>
    (countForm(plurals.select(n)) ?? countForm("other")).replace("__COUNT__", formatCount(n));
  const files = new Map();

  const load = (url) => {
    if (!files.has(url)) {
      files.set(url, fetch(url).then((r) => {
        if (!r.ok) throw new Error(`${url}: ${r.status}`);
        return r.json();
      }));
    }
    return files.get(url);
  };

  const fold = (text) =>
    text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").normalize("NFC");

  const stem = (w) => {
    if (w.length > 4 && w.endsWith("ies")) return w.slice(0, -3) + "y";
    if (w.length > 4 && ["ches", "shes", "xes", "sses"].some((e) => w.endsWith(e))) return w.slice(0, -2);
    if (w.length > 3 && w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us") && !w.endsWith("is")) return w.slice(0, -1);
    return w;
  };

  const tokenize = (text, code) => {
    const lower = text.normalize("NFC").toLowerCase();
    const words = [];
    for (const part of new Intl.Segmenter(code, { granularity: "word" }).segment(lower)) {
      if (!part.isWordLike) continue;
      const folded = fold(part.segment);
      words.push({ exact: part.segment, folded: code === "en" ? stem(folded) : folded });
    }
    return words;
  };

  const shardOf = (term) => term.codePointAt(0).toString(16);

  // "3:5 2 10:2" → [[3, 5], [5, 1], [15, 2]]
  const weighted = (text) => {
    let doc = 0;
    return text.split(" ").map((item) => {
      const [gap, weight] = item.split(":");
      doc += Number(gap);
      return [doc, weight ? Number(weight) : 1];
    });
  };
  const docsOf = (text) => new Set(weighted(text).map(([doc]) => doc));

  async function searchLanguage(query, index) {
    const manifest = await load(index.index + "index.json");
    const tokens = tokenize(query, index.code);
    if (!tokens.length) return [];
    // Each first letter lives in one shard file; load only the files the words need.
    const fileOf = (term) => manifest.shards[shardOf(term)];
    const shards = {};
    await Promise.all(
      [...new Set(tokens.map((t) => fileOf(t.folded)))]
        .filter((file) => file !== undefined)
        .map(async (file) => { shards[file] = await load(`${index.index}t-${file}.json`); }),
    );
    const shardFor = (term) => shards[fileOf(term)];
    const perToken = tokens.map((token, i) => {
      const shard = shardFor(token.folded);
      const found = new Map();
      if (!shard) return found;
      // The last word may still be being typed: it also matches as a prefix.
      let terms = shard.w[token.folded] ? [token.folded] : [];
      // (Prefix expansion looks in the same file: terms sharing a first letter share a file.)
      if (i === tokens.length - 1) {
        const longer = Object.keys(shard.w).filter((t) => t !== token.folded && t.startsWith(token.folded));
        longer.sort((a, b) => a.length - b.length);
        terms = terms.concat(longer.slice(0, 30));
      }
      for (const term of terms) {
        const postings = weighted(shard.w[term]);
        const idf = Math.log(1 + manifest.docs / postings.length);
        const whole = term === token.folded ? 1 : 0.7;
        for (const [doc, w] of postings) {
          const score = idf * whole * (w * 2.2) / (w + 1.2);
          found.set(doc, Math.max(found.get(doc) || 0, score));
        }
      }
      // Typed with accents: the words written exactly so rank first.
      if (token.exact !== token.folded && shard.x[token.exact]) {
        for (const doc of docsOf(shard.x[token.exact])) {
          if (found.has(doc)) found.set(doc, found.get(doc) + 6);
        }
      }
      return found;
    });
    let candidates = [...perToken[0].keys()].filter((doc) => perToken.every((m) => m.has(doc)));
    if (!candidates.length) candidates = [...new Set(perToken.flatMap((m) => [...m.keys()]))];
    const scores = new Map(candidates.map((doc) => [doc, perToken.reduce((s, m) => s + (m.get(doc) || 0), 0)]));
    // Words next to each other as typed (Vietnamese words have several syllables).
    for (let i = 0; i + 1 < tokens.length; i++) {
      const shard = shardFor(tokens[i].folded);
      const pair = shard && shard.b[`${tokens[i].folded} ${tokens[i + 1].folded}`];
      if (!pair) continue;
      for (const doc of docsOf(pair)) if (scores.has(doc)) scores.set(doc, scores.get(doc) + 4);
    }
    return [...scores].map(([doc, score]) => ({ doc, score, index, manifest, tokens }));
  }

  const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

  // The excerpt with every word matching a query word wrapped in <mark>.
  function snippet(text, code, tokens) {
    const fragment = document.createDocumentFragment();
    const wanted = tokens.map((t) => t.folded);
    let last = 0;
    for (const part of new Intl.Segmenter(code, { granularity: "word" }).segment(text)) {
      if (!part.isWordLike) continue;
      let folded = fold(part.segment);
      if (code === "en") folded = stem(folded);
      const hit = wanted.some((w, i) => folded === w || (i === wanted.length - 1 && folded.startsWith(w)));
      if (!hit) continue;
      fragment.append(text.slice(last, part.index));
      const mark = document.createElement("mark");
      mark.textContent = part.segment;
      fragment.append(mark);
      last = part.index + part.segment.length;
    }
    fragment.append(text.slice(last));
    return fragment;
  }

  let generation = 0;
  async function run() {
    const query = input.value.trim();
    const mine = ++generation;
    const params = new URLSearchParams(location.search);
    if (query) params.set("q", query); else params.delete("q");
    history.replaceState(null, "", `${location.pathname}${params.size ? "?" + params : ""}`);
    if (!query) {
      list.replaceChildren();
      status.textContent = "";
      return;
    }
    const indexes = everyLanguage.checked
      ? settings.indexes
      : settings.indexes.filter((i) => i.code === settings.lang);
    let results;
    try {
      results = (await Promise.all(indexes.map((index) => searchLanguage(query, index)))).flat();
    } catch (error) {
      if (mine === generation) status.textContent = form.dataset.failed;
      return;
    }
    results.sort((a, b) => b.score - a.score);
    results = results.slice(0, 20);
    const rows = await Promise.all(results.map(async (r) => {
      const chunk = await load(`${r.index.index}d-${Math.floor(r.doc / r.manifest.chunk)}.json`);
      return { ...r, row: chunk[r.doc % r.manifest.chunk] };
    }));
    if (mine !== generation) return;
    status.textContent = rows.length
      ? countText(rows.length)
      : form.dataset.none;
    list.replaceChildren(...rows.map(({ row, index, tokens }) => {
      const [title, url, date, section, excerpt] = row;
      const item = document.createElement("li");
      item.lang = index.code;
      const heading = document.createElement("h2");
      const link = document.createElement("a");
      link.href = url;
      link.textContent = title;
      heading.append(link);
      const meta = document.createElement("p");
      meta.className = "meta";
      meta.textContent = [section, date, index.code === settings.lang ? "" : index.name].filter(Boolean).join(" · ");
      const text = document.createElement("p");
      text.append(snippet(excerpt, index.code, tokens));
      item.append(heading, meta, text);
      return item;
    }));
  }

  let timer;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(run, 120);
  });
  everyLanguage.addEventListener("change", run);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run();
  });
  // Tells tests (and anything else waiting) that typing now searches.
  form.dataset.ready = "true";
  const initial = new URLSearchParams(location.search).get("q");
  if (initial) {
    input.value = initial;
    run();
  }
})();
