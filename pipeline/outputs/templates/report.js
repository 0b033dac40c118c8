/* linktox report tables: sort, filter, search and page the JSON in #report-data, offline.
   Every value is written with textContent: anchors and URLs come from strangers. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var texts = data.texts;
  var PAGE = 50;
  var numberFormat = new Intl.NumberFormat("en-US");
  var SEPARATOR = data.separator;
  function lab(index) { return index === null ? null : data.labels[index]; }

  function reasons(indices) {
    return indices.map(function (i) { return texts[i]; }).join(SEPARATOR);
  }

  function fmt(value, kind) {
    if (value === null || value === undefined) return "–";
    if (kind === "int") return numberFormat.format(value);
    if (kind === "score") return Number(value).toFixed(1);
    return String(value);
  }

  function makeTable(section, spec) {
    var total = spec.total;
    var table = section.querySelector("table.data");
    var body = table.tBodies[0];
    var search = section.querySelector("input.search");
    var labelFilter = section.querySelector("select.label-filter");
    var statusFilter = section.querySelector("select.status-filter");
    var more = section.querySelector("button.more");
    var count = section.querySelector(".controls .count");
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var state = { sort: -1, descending: false, shown: PAGE, domain: null };
    var rows = spec.rows.map(function (raw) {
      var values = spec.values(raw);
      return { raw: raw, values: values, text: values.join(" ").toLowerCase() };
    });
    var order = rows.slice();

    function visible() {
      var query = search ? search.value.trim().toLowerCase() : "";
      var label = labelFilter ? labelFilter.value : "";
      var status = statusFilter ? statusFilter.value : "*";
      return order.filter(function (row) {
        if (query && row.text.indexOf(query) < 0) return false;
        if (label && spec.label(row.raw) !== label) return false;
        if (spec.status && status !== "*" && !spec.status(row.raw, status)) return false;
        if (state.domain !== null && spec.domain(row.raw) !== state.domain) return false;
        return true;
      });
    }

    function render() {
      var shown = visible();
      var page = shown.slice(0, state.shown);
      var fragment = document.createDocumentFragment();
      page.forEach(function (row) {
        var tr = document.createElement("tr");
        row.values.forEach(function (value, index) {
          var td = document.createElement("td");
          var kind = spec.kinds[index];
          if (kind === "int" || kind === "score") td.className = "num";
          if (kind === "label") td.className = "label-" + value;
          if (kind === "url") td.className = "url";
          if (kind === "domain" && spec.onDomain) {
            var a = document.createElement("a");
            a.href = "#links-section";
            a.textContent = value;
            a.title = "Show the links of " + value;
            a.addEventListener("click", function () { spec.onDomain(value); });
            td.appendChild(a);
          } else {
            td.textContent = fmt(value, kind);
          }
          tr.appendChild(td);
        });
        fragment.appendChild(tr);
      });
      body.replaceChildren(fragment);
      count.textContent = "Showing " + numberFormat.format(page.length) + " of " +
        numberFormat.format(shown.length) + (shown.length !== rows.length ?
          " (" + numberFormat.format(rows.length) + " in all)" : "") +
        (total > rows.length ? "; the report lists the worst " + numberFormat.format(rows.length) +
          " of " + numberFormat.format(total) + ", the exported tables have every row" : "");
      more.hidden = page.length >= shown.length;
    }

    function sortBy(index) {
      state.descending = state.sort === index ? !state.descending : spec.kinds[index] === "int" ||
        spec.kinds[index] === "score";
      state.sort = index;
      var sign = state.descending ? -1 : 1;
      order = rows.slice().sort(function (a, b) {
        var x = a.values[index], y = b.values[index];
        if (x === null || x === undefined) return (y === null || y === undefined) ? 0 : 1;
        if (y === null || y === undefined) return -1;
        return (x < y ? -1 : x > y ? 1 : 0) * sign;
      });
      headers.forEach(function (th, i) {
        if (i === index) th.setAttribute("aria-sort", state.descending ? "descending" : "ascending");
        else th.removeAttribute("aria-sort");
      });
      state.shown = PAGE;
      render();
    }

    headers.forEach(function (th, index) {
      th.classList.add("sortable");
      th.tabIndex = 0;
      th.addEventListener("click", function () { sortBy(index); });
      th.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sortBy(index); }
      });
    });
    [search, labelFilter, statusFilter].forEach(function (control) {
      if (!control) return;
      control.addEventListener("input", function () { state.shown = PAGE; render(); });
    });
    more.addEventListener("click", function () { state.shown += PAGE; render(); });
    render();
    return {
      setDomain: function (domain) { state.domain = domain; state.shown = PAGE; render(); },
      rows: rows.length
    };
  }

  var domainNames = data.domains.map(function (row) { return row[0]; });
  function domainOf(ref) {  // a position in the domains table, or a name beyond its end
    return typeof ref === "number" ? domainNames[ref] : (ref === null ? "" : ref);
  }
  var linksSection = document.getElementById("links-section");
  var links = null;
  if (linksSection && data.links) {
    var chip = linksSection.querySelector(".domain-filter");
    var clear = linksSection.querySelector(".clear-domain");
    links = makeTable(linksSection, {
      rows: data.links,
      total: data.totals.links,
      kinds: ["url", "text", "text", "label", "score", "text"],
      values: function (r) {
        return [r[0], r[1], domainOf(r[2]), lab(r[3]), r[4], reasons(r[5])];
      },
      label: function (r) { return lab(r[3]); },
      domain: function (r) { return domainOf(r[2]); }
    });
    var showDomain = function (domain) {
      links.setDomain(domain);
      chip.textContent = domain === null ? "" : "domain: " + domain;
      chip.hidden = clear.hidden = domain === null;
    };
    clear.addEventListener("click", function () { showDomain(null); });
  }

  makeTable(document.getElementById("domains-section"), {
    rows: data.domains,
    total: data.totals.domains,
    kinds: ["domain", "label", "int", "int", "int", "score", "score", "text", "text"],
    values: function (r) {
      return [r[0], lab(r[1]), r[2], r[3], r[4], r[5], r[6], reasons(r[7]), reasons(r[8])];
    },
    label: function (r) { return lab(r[1]); },
    onDomain: links ? function (domain) { showDomain(domain); } : null
  });

  var changesSection = document.getElementById("changes-section");
  if (changesSection && data.changes) {
    makeTable(changesSection, {
      rows: data.changes,
      total: data.totals.changes,
      kinds: ["text", "text", "int", "int", "label", "label", "score", "score", "text"],
      values: function (r) {
        return [r[0], r[1], r[2], r[3], lab(r[4]), lab(r[5]), r[6], r[7], reasons(r[8])];
      },
      label: function (r) { return lab(r[0] === "lost" ? r[4] : r[5]); },
      status: function (r, wanted) { return wanted ? r[0] === wanted : r[0] !== "kept"; }
    });
  }

  var wanted = /^#domain=(.+)$/.exec(window.location.hash);
  if (wanted && links) {
    showDomain(decodeURIComponent(wanted[1]));
    linksSection.scrollIntoView();
  }
  document.documentElement.setAttribute("data-tables", "ready");
})();
