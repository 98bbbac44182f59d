/* The dashboard page: renders window.DASHBOARD_DATA (built by marketmetrics.dashboard).
   State lives in the URL hash (#tab=payments&grain=week&lang=ko) so a view can be linked,
   and so the browser test can open each tab. Each chart container gets
   data-rendered="<points drawn>" once ECharts has drawn it; the body gets
   data-tab-rendered="<tab>" when every chart of the tab is drawn. */
(function () {
  "use strict";
  var D = window.DASHBOARD_DATA;
  var GRAINS = ["day", "week", "month"];
  var T = {
    en: {
      day: "Day", week: "Week", month: "Month", sub: "Service metrics",
      through: "Data through", engine: "engine", generated: "generated",
      kpis: "Latest complete", vsPrev: { day: "vs prev day", week: "vs prev week", month: "vs prev month" },
      vsYear: "vs last year", trends: "Trends", breakdown: "Breakdown", total: "Total",
      by: "by", openAlerts: "Open alerts", noAlerts: "No open alerts: every rule is quiet for the latest complete period.",
      history: "Alert history", historyHint: "fired on complete periods, newest first",
      partial: "The latest {g} ({p}) is still in progress: shaded in charts, not used in the cards.",
      incomplete: "incomplete", when: "Period", metric: "Metric", value: "Value", rule: "Rule",
      ref: "Reference", none: "No alerts fired for this domain.", baseline: "baseline",
      footer: "Numbers from the metric tables (metrics_daily / _weekly / _monthly); labels, units and definitions from the metric catalog; alerts from {schema}.metric_alerts.",
      weekOf: "Week of ",
      stale: "Stale sources", staleText: "no new row for {h} h (last synced {at}; {status} after {limit} h)",
      unreadable: "could not be read",
      quality: "Data quality", qWorst: "Raw tables, worst first", qTable: "Table", qVerdict: "Verdict",
      qRows: "Raw rows", qQuar: "Quarantined", qHeld: "Held", qUnacc: "Unaccounted", qFresh: "Last row",
      qVolume: "Yesterday vs usual", qDays: "Rows kept out of staging per day", qReasons: "Most frequent reasons",
      qRuns: "Data tests per build", qFailing: "Latest build: tests that did not pass", qAllPass: "Every data test of the latest build passed.",
      qNone: "No data-quality tables in this warehouse yet: run a build.", qReason: "Reason", qTest: "Test", qStatus: "Status",
      qFailures: "Rows", hAgo: "h ago",
      sev: { critical: "critical", warning: "warning", info: "info" },
      verdicts: { act: "act", look: "look", fine: "fine" },
      statuses: { pass: "pass", warn: "warn", error: "error", fail: "fail", usual: "usual", low: "low", high: "high", "new": "new", quarantined: "quarantined", held: "held" },
    },
    ko: {
      day: "일", week: "주", month: "월", sub: "서비스 지표",
      through: "데이터 기준일", engine: "엔진", generated: "생성",
      kpis: "최근 완료 기간", vsPrev: { day: "전일 대비", week: "전주 대비", month: "전월 대비" },
      vsYear: "전년 대비", trends: "추이", breakdown: "구분", total: "전체",
      by: "기준", openAlerts: "진행 중인 알림", noAlerts: "진행 중인 알림이 없습니다.",
      history: "알림 이력", historyHint: "완료된 기간에 발생, 최신순",
      partial: "최근 {g} ({p})은(는) 진행 중입니다: 차트에 음영으로 표시되며 카드에는 쓰이지 않습니다.",
      incomplete: "미완료", when: "기간", metric: "지표", value: "값", rule: "규칙",
      ref: "기준", none: "이 영역에서 발생한 알림이 없습니다.", baseline: "기준선",
      footer: "수치: 지표 테이블 (metrics_daily / _weekly / _monthly), 레이블·단위·정의: 지표 카탈로그, 알림: {schema}.metric_alerts.",
      weekOf: "",
      stale: "지연된 원천 데이터", staleText: "{h}시간 동안 새 행 없음 (마지막 동기화 {at}; {limit}시간 초과 시 {status})",
      unreadable: "읽을 수 없음",
      quality: "데이터 품질", qWorst: "원천 테이블 (문제 순)", qTable: "테이블", qVerdict: "판정",
      qRows: "원천 행", qQuar: "격리", qHeld: "보류", qUnacc: "미확인", qFresh: "마지막 행",
      qVolume: "어제 / 평소", qDays: "일별 스테이징 제외 행", qReasons: "주요 사유",
      qRuns: "빌드별 데이터 테스트", qFailing: "최근 빌드에서 통과하지 못한 테스트", qAllPass: "최근 빌드의 모든 데이터 테스트가 통과했습니다.",
      qNone: "이 웨어하우스에는 아직 데이터 품질 테이블이 없습니다: 빌드를 실행하세요.", qReason: "사유", qTest: "테스트", qStatus: "상태",
      qFailures: "행 수", hAgo: "시간 전",
      sev: { critical: "심각", warning: "경고", info: "정보" },
      verdicts: { act: "조치", look: "확인", fine: "양호" },
      statuses: { pass: "통과", warn: "경고", error: "오류", fail: "실패", usual: "평소", low: "적음", high: "많음", "new": "신규", quarantined: "격리", held: "보류" },
    },
  };
  var PALETTE = ["#3b5bdb", "#12b886", "#f59f00", "#e64980", "#7950f2", "#15aabf", "#fa5252", "#82c91e", "#868e96", "#fd7e14"];
  var state = { tab: D.domains[0].id, grain: "day", lang: "en", dims: {} };
  var charts = [];

  function t(key) { return T[state.lang][key]; }
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function label(name) { var m = D.metrics[name]; return m ? m[state.lang] : name; }
  function altLabel(name) { var m = D.metrics[name]; return m ? m[state.lang === "en" ? "ko" : "en"] : ""; }
  /* Dimension and value labels come from the catalog and the seed enum_labels (D.dimensions). */
  function dimLabel(dim) {
    var d = (D.dimensions || {})[dim];
    return d ? d[state.lang] : dim.replace(/_/g, " ");
  }
  function valueLabel(v, dim) {
    if (v === "none") return "(none)";
    var d = (D.dimensions || {})[dim], known = d && d.values[v];
    return known ? known[state.lang] : v.replace(/_/g, " ");
  }

  /* ---- number formatting by unit ---- */
  var nf0 = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
  function nf(d) { return new Intl.NumberFormat("en-US", { minimumFractionDigits: d, maximumFractionDigits: d }); }
  function compact(v) {
    var a = Math.abs(v);
    if (a >= 1e12) return nf(1).format(v / 1e12) + "T";
    if (a >= 1e9) return nf(1).format(v / 1e9) + "B";
    if (a >= 1e6) return nf(1).format(v / 1e6) + "M";
    if (a >= 1e4) return nf(0).format(v / 1e3) + "K";
    return nf0.format(v);
  }
  function fmt(v, unit, short) {
    if (v === null || v === undefined || isNaN(v)) return "—";
    switch (unit) {
      case "rate": return nf((Math.abs(v) < 0.1 && v !== 0) || Math.abs(v) > 0.99 ? 2 : 1).format(v * 100) + "%";
      case "won": return "₩" + (short ? compact(v) : nf0.format(Math.round(v)));
      case "count": return short ? compact(v) : nf0.format(v);
      case "pct": return nf(1).format(v) + "%";
      case "ms": return (v >= 10000 ? nf(1).format(v / 1000) + " s" : nf0.format(v) + " ms");
      case "seconds": return nf(v >= 100 ? 0 : 1).format(v) + " s";
      case "hours": return nf(1).format(v) + " h";
      case "score": return nf(1).format(v);
      default: return nf(2).format(v);
    }
  }
  /* Axis ticks: compact for counts and money, else as many decimals (up to 2) as the tick needs,
     so neighbouring ticks never read the same ("2.25 s", "2.3 s", not "2.3 s" twice). */
  function axisFmt(v, unit) {
    if (unit === "count" || unit === "won") return fmt(v, unit, true);
    var d = function (x) { return new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 }).format(x); };
    switch (unit) {
      case "rate": return d(v * 100) + "%";
      case "pct": return d(v) + "%";
      case "ms": return Math.abs(v) >= 10000 ? d(v / 1000) + " s" : d(v) + " ms";
      case "seconds": return d(v) + " s";
      case "hours": return d(v) + " h";
      default: return d(v);
    }
  }
  function pct(v) {
    if (v === null || v === undefined || !isFinite(v)) return "—";
    return (v > 0 ? "+" : v < 0 ? "−" : "±") + nf(1).format(Math.abs(v) * 100) + "%";
  }
  function periodLabel(iso, grain, short) {
    if (!iso) return "—";
    var d = new Date(iso + "T00:00:00Z");
    var mon = d.toLocaleString(state.lang === "ko" ? "ko-KR" : "en-US", { month: "short", timeZone: "UTC" });
    if (grain === "month") {
      return state.lang === "ko" ? d.getUTCFullYear() + "년 " + (d.getUTCMonth() + 1) + "월" : mon + " " + d.getUTCFullYear();
    }
    if (short) return state.lang === "ko" ? (d.getUTCMonth() + 1) + "/" + d.getUTCDate() : mon + " " + d.getUTCDate();
    return (grain === "week" ? t("weekOf") : "") + iso + (grain === "week" && state.lang === "ko" ? " 주" : "");
  }

  /* ---- state in the hash ---- */
  function readHash() {
    var h = (location.hash || "").replace(/^#/, "");
    h.split("&").forEach(function (kv) {
      var p = kv.split("=");
      if (p[0] === "tab" && (D.domains.some(function (d) { return d.id === p[1]; }) || (p[1] === "quality" && D.quality))) state.tab = p[1];
      if (p[0] === "grain" && GRAINS.indexOf(p[1]) >= 0) state.grain = p[1];
      if (p[0] === "lang" && (p[1] === "en" || p[1] === "ko")) state.lang = p[1];
    });
  }
  function writeHash() {
    var h = "#tab=" + state.tab + "&grain=" + state.grain + "&lang=" + state.lang;
    if (location.hash !== h) history.replaceState(null, "", h);
  }

  function domainOf(tabId) { return D.domains.filter(function (d) { return d.id === tabId; })[0]; }
  function metricsOf(tabId) {
    var dom = domainOf(tabId);
    return Object.keys(D.metrics).filter(function (n) { return dom.catalog_domains.indexOf(D.metrics[n].domain) >= 0; });
  }
  function alertsOf(tabId) {
    var names = metricsOf(tabId);
    return D.alerts.filter(function (a) { return names.indexOf(a.metric) >= 0; });
  }
  var SEV_RANK = { critical: 0, warning: 1, info: 2 };
  function worst(alerts) {
    return alerts.slice().sort(function (a, b) { return SEV_RANK[a.severity] - SEV_RANK[b.severity]; })[0];
  }

  function alertText(a) {
    var unit = (D.metrics[a.metric] || {}).unit;
    var where = a.dim === "all" ? "" : " · " + dimLabel(a.dim) + " " + valueLabel(a.value, a.dim);
    var ref = a.type === "threshold"
      ? a.comparator + " " + fmt(a.threshold, unit)
      : t("baseline") + " " + fmt(a.mean, unit) + " ± " + fmt(a.stddev, unit) + " (" + a.weeks + "w, k=" + a.k + ")";
    return "<b>" + esc(label(a.metric)) + "</b>" + esc(where) + " · " + esc(periodLabel(a.period, a.grain)) +
      ": <b>" + esc(fmt(a.metric_value, unit)) + "</b> <span class='muted'>" + esc(ref) + "</span>";
  }

  /* ---- header, tabs, open alerts ---- */
  function renderChrome() {
    document.documentElement.lang = state.lang;
    document.getElementById("subtitle").textContent =
      t("sub") + " · " + t("through") + " " + (D.data_through || "—") + " · " + t("engine") + " " + D.engine +
      " · " + t("generated") + " " + D.generated_at;
    var gs = document.getElementById("grain-switch");
    gs.innerHTML = GRAINS.map(function (g) {
      return "<button data-grain='" + g + "' class='" + (g === state.grain ? "on" : "") + "'>" + t(g) + "</button>";
    }).join("");
    var ls = document.getElementById("lang-switch");
    ls.innerHTML = "<button data-lang='en' class='" + (state.lang === "en" ? "on" : "") + "'>EN</button>" +
      "<button data-lang='ko' class='" + (state.lang === "ko" ? "on" : "") + "'>한국어</button>";
    document.getElementById("tabs").innerHTML = D.domains.map(function (d) {
      var open = alertsOf(d.id).filter(function (a) { return a.open; });
      var w = worst(open);
      var badge = open.length ? "<span class='count " + w.severity + "'>" + open.length + "</span>" : "";
      return "<button role='tab' data-tab='" + d.id + "' class='" + (d.id === state.tab ? "on" : "") + "'>" +
        esc(d[state.lang]) + badge + "</button>";
    }).join("") + (D.quality ? qualityTab() : "");
    var open = D.alerts.filter(function (a) { return a.open; });
    var box = document.getElementById("alerts-open");
    var stale = D.stale_sources || [];
    var staleBox = "";
    if (stale.length) {
      // A stale raw table: the metric tables keep the last numbers they had, so it comes first.
      var ws = stale.some(function (s) { return s.severity === "critical"; }) ? "critical" : "warning";
      staleBox = "<div class='alert-box " + ws + "' id='stale-sources'><h3>" + esc(t("stale")) + " (" + stale.length + ")</h3>" +
        "<ul class='alert-list'>" + stale.map(function (s) {
          var text = s.status === "runtime error" ? t("unreadable") : t("staleText")
            .replace("{h}", s.age_hours).replace("{at}", s.max_loaded_at ? String(s.max_loaded_at).replace("T", " ").slice(0, 16) : "—")
            .replace("{status}", s.status).replace("{limit}", s.status === "warn" ? s.warn_after_hours : s.error_after_hours);
          return "<li><span class='sev " + s.severity + "'>" + esc(t("sev")[s.severity] || s.severity) + "</span><span><b>" + esc(s.source + "." + s.table) +
            "</b> · " + esc(text) + "</span></li>";
        }).join("") + "</ul></div>";
    }
    if (!open.length) {
      box.innerHTML = staleBox + "<div class='alert-box ok'>✓ " + esc(t("noAlerts")) + "</div>";
    } else {
      var w = worst(open);
      box.innerHTML = staleBox + "<div class='alert-box " + w.severity + "'><h3>" + esc(t("openAlerts")) + " (" + open.length + ")</h3>" +
        "<ul class='alert-list'>" + open.slice(0, 12).map(function (a) {
          return "<li><span class='sev " + a.severity + "'>" + esc(t("sev")[a.severity] || a.severity) + "</span><span>" + alertText(a) + "</span></li>";
        }).join("") + "</ul></div>";
    }
    document.getElementById("foot").textContent = t("footer").replace("{schema}", D.metrics_schema || "metrics");
  }

  /* ---- KPI cards ---- */
  function sparkline(values, color) {
    var pts = values.slice(-30).filter(function (v) { return v !== null; });
    if (pts.length < 2) return "";
    var min = Math.min.apply(null, pts), max = Math.max.apply(null, pts), w = 70, h = 24;
    var span = max - min || 1;
    var path = pts.map(function (v, i) {
      return (i ? "L" : "M") + (i * w / (pts.length - 1)).toFixed(1) + " " + (h - 2 - (v - min) / span * (h - 4)).toFixed(1);
    }).join(" ");
    return "<svg class='spark' width='" + w + "' height='" + h + "' viewBox='0 0 " + w + " " + h + "'><path d='" + path +
      "' fill='none' stroke='" + color + "' stroke-width='1.6' stroke-linejoin='round'/></svg>";
  }
  /* A rate's change is the difference in percentage points (12.0% -> 9.5%: -2.5 pp); any other
     unit's is relative (%). */
  function pp(v) {
    if (v === null || v === undefined || !isFinite(v)) return "—";
    return (v > 0 ? "+" : v < 0 ? "−" : "±") + nf(1).format(Math.abs(v) * 100) + " pp";
  }
  function deltaHtml(name, v, ref, text) {
    var m = D.metrics[name], dir = m.direction, cls = "";
    var rate = m.unit === "rate", c = rate ? (v === null || ref === null || ref === undefined ? null : v - ref) : change(v, ref);
    if (c !== null && c !== undefined && isFinite(c) && c !== 0 && dir !== "none") {
      cls = (c > 0) === (dir === "up") ? "good" : "bad";
    }
    return "<span class='delta " + cls + "'><b>" + (rate ? pp(c) : pct(c)) + "</b> " + esc(text) + "</span>";
  }
  function change(v, ref) { return v === null || ref === null || ref === undefined || ref === 0 ? null : (v - ref) / Math.abs(ref); }

  /* A card shows the value in full while it fits (up to 11 characters), compact beyond
     (₩1,036,174,500 reads ₩1.0B; the full value is its tooltip). */
  function cardValue(v, unit) {
    var full = fmt(v, unit);
    return full.length > 11 ? fmt(v, unit, true) : full;
  }
  function renderKpis(names, g) {
    var open = D.alerts.filter(function (a) { return a.open; });
    var upto = g.complete.lastIndexOf(true);
    return "<div class='kpis'>" + names.map(function (n) {
      var m = D.metrics[n], k = g.kpi[n] || [null, null, null];
      var mine = open.filter(function (a) { return a.metric === n; });
      var w = worst(mine);
      var line = ((g.series[n] || {}).all || {}).all || [];
      return "<div class='kpi" + (w ? " alerted " + w.severity : "") + "' title='" + esc(m.definition) + "'>" +
        (w ? "<span class='dot " + w.severity + "'></span>" : "") +
        "<div class='name'>" + esc(label(n)) + "</div><div class='alt'>" + esc(altLabel(n)) + "</div>" +
        "<div class='row'><div class='value' title='" + esc(fmt(k[0], m.unit)) + "'>" + esc(cardValue(k[0], m.unit)) + "</div>" +
        sparkline(line.slice(0, upto + 1), "#5c7cfa") + "</div>" +
        "<div class='deltas'>" + deltaHtml(n, k[0], k[1], t("vsPrev")[state.grain]) +
        deltaHtml(n, k[0], k[2], t("vsYear")) + "</div></div>";
    }).join("") + "</div>";
  }

  /* ---- charts ---- */
  function additive(unit) { return unit === "count" || unit === "won"; }
  /* The first period where the metric has a value, in any breakdown: a chart starts there, so
     a metric whose history begins late (state history from the first snapshot) fills its axis. */
  function firstWithData(name, g) {
    var first = g.periods.length;
    var dims = g.series[name] || {};
    Object.keys(dims).forEach(function (dim) {
      Object.keys(dims[dim]).forEach(function (k) {
        var vals = dims[dim][k];
        for (var i = 0; i < vals.length && i < first; i++) if (vals[i] !== null) { first = i; break; }
      });
    });
    return first >= g.periods.length ? 0 : first;
  }
  function sliceGrain(g, from, name) {
    if (!from) return g;
    var series = {}, n = name;
    series[n] = {};
    Object.keys(g.series[n] || {}).forEach(function (dim) {
      series[n][dim] = {};
      Object.keys(g.series[n][dim]).forEach(function (k) { series[n][dim][k] = g.series[n][dim][k].slice(from); });
    });
    return { periods: g.periods.slice(from), complete: g.complete.slice(from), series: series, kpi: g.kpi, latest_complete: g.latest_complete };
  }
  function chartOption(name, dim, g) {
    g = sliceGrain(g, firstWithData(name, g), name);
    var m = D.metrics[name], unit = m.unit, periods = g.periods;
    var x = periods.map(function (p) { return periodLabel(p, state.grain, true); });
    var firstIncomplete = g.complete.indexOf(false);
    var lastComplete = g.complete.lastIndexOf(true);
    var series = [];
    var byDim = (g.series[name] || {})[dim] || {};
    var alertsHere = D.alerts.filter(function (a) {
      return a.metric === name && a.grain === state.grain && a.dim === dim;
    });
    function marks(valueKey) {
      var pts = alertsHere.filter(function (a) { return a.value === valueKey; }).map(function (a) {
        var i = periods.indexOf(a.period);
        return i < 0 ? null : {
          coord: [i, a.metric_value], value: a.severity[0].toUpperCase(),
          itemStyle: { color: a.severity === "critical" ? "#c92a2a" : a.severity === "warning" ? "#e67700" : "#1c7ed6" },
        };
      }).filter(Boolean);
      return pts.length ? { symbol: "pin", symbolSize: 34, label: { color: "#fff", fontSize: 10, fontWeight: 700 }, data: pts } : undefined;
    }
    var shade = firstIncomplete >= 0 ? {
      silent: true, itemStyle: { color: "rgba(151,117,250,0.10)" },
      label: { show: true, position: "insideTop", color: "#7950f2", fontSize: 10, formatter: t("incomplete") },
      data: [[{ xAxis: Math.max(firstIncomplete - 0.5, 0) }, { xAxis: periods.length - 1 }]],
    } : undefined;
    function split(values) {
      // complete points solid; the incomplete tail dashed, joined to the last complete point
      var solid = values.map(function (v, i) { return i <= lastComplete ? v : null; });
      var dashed = values.map(function (v, i) { return i >= lastComplete && firstIncomplete >= 0 ? v : null; });
      return [solid, dashed];
    }
    if (dim === "all") {
      var parts = split(byDim.all || []);
      series.push({
        name: t("total"), type: "line", data: parts[0], showSymbol: false, smooth: false, connectNulls: false,
        lineStyle: { width: 2, color: "#3b5bdb" }, itemStyle: { color: "#3b5bdb" },
        areaStyle: { color: new echarts.graphic.LinearGradient(0, 0, 0, 1, [{ offset: 0, color: "rgba(59,91,219,0.22)" }, { offset: 1, color: "rgba(59,91,219,0.01)" }]) },
        markPoint: marks("all"), markArea: shade,
      });
      if (firstIncomplete >= 0) {
        series.push({ name: t("total") + " (" + t("incomplete") + ")", type: "line", data: parts[1], showSymbol: true, symbolSize: 5,
          lineStyle: { width: 2, type: "dashed", color: "#9775fa" }, itemStyle: { color: "#9775fa" } });
      }
    } else {
      var keys = Object.keys(byDim).sort(function (a, b) {
        var sa = byDim[a].reduce(function (s, v) { return s + (v || 0); }, 0);
        var sb = byDim[b].reduce(function (s, v) { return s + (v || 0); }, 0);
        return sb - sa;
      });
      var stack = additive(unit);
      keys.forEach(function (k, i) {
        var color = PALETTE[i % PALETTE.length];
        series.push({
          name: valueLabel(k, dim), type: "line", data: byDim[k], showSymbol: false, stack: stack ? "total" : undefined,
          lineStyle: { width: stack ? 1 : 1.6, color: color }, itemStyle: { color: color },
          areaStyle: stack ? { opacity: 0.55, color: color } : undefined,
          markPoint: marks(k), markArea: i === 0 ? shade : undefined, emphasis: { focus: "series" },
        });
      });
      if (!stack) {
        var total = (((g.series[name] || {}).all || {}).all) || [];
        series.push({ name: t("total"), type: "line", data: total, showSymbol: false,
          lineStyle: { width: 2.4, color: "#212529", type: "solid" }, itemStyle: { color: "#212529" }, z: 5 });
      }
    }
    return {
      animation: false,
      grid: { left: 8, right: 26, top: dim === "all" ? 16 : 46, bottom: 6, containLabel: true },
      legend: dim === "all" ? undefined : { type: "scroll", top: 4, left: 0, right: 0, itemWidth: 14, itemHeight: 8, textStyle: { fontSize: 11 } },
      tooltip: {
        trigger: "axis", confine: true, order: "valueDesc",
        valueFormatter: function (v) { return fmt(v, unit); },
      },
      xAxis: { type: "category", data: x, boundaryGap: false, axisLabel: { color: "#6b7385", fontSize: 10.5, hideOverlap: true }, axisLine: { lineStyle: { color: "#cfd5e1" } } },
      yAxis: { type: "value", scale: !additive(unit), splitLine: { lineStyle: { color: "#eef1f6" } }, axisLabel: { color: "#6b7385", fontSize: 10.5, formatter: function (v) { return axisFmt(v, unit); } } },
      series: series,
    };
  }
  function pointsIn(option) {
    var n = 0;
    option.series.forEach(function (s) { s.data.forEach(function (v) { if (v !== null && v !== undefined) n++; }); });
    return n;
  }
  function drawChart(el) {
    var name = el.getAttribute("data-metric"), dim = state.dims[name] || defaultDim(name);
    var g = D.grains[state.grain];
    var option = chartOption(name, dim, g);
    var chart = echarts.getInstanceByDom(el);
    if (!chart) { chart = echarts.init(el, null, { renderer: "canvas" }); charts.push(chart); }
    el.setAttribute("data-points", String(pointsIn(option)));
    // Listen before setOption: without animation the first frame can finish inside it.
    chart.off("finished");
    chart.on("finished", function () { el.setAttribute("data-rendered", el.getAttribute("data-points")); markTabDone(); });
    chart.setOption(option, true);
  }
  // The breakdown a chart opens with: where an alert fired (the kcp dip shows by pg_provider),
  // else the first dimension for additive units (stacked areas sum to the total), else the total.
  function defaultDim(name) {
    var m = D.metrics[name], dims = m.dimensions;
    var fired = D.alerts.filter(function (a) { return a.metric === name && a.grain === state.grain; })[0];
    if (fired) return fired.dim;
    return dims.length && additive(m.unit) ? dims[0] : "all";
  }
  function markTabDone() {
    var els = document.querySelectorAll("#panel .chart");
    for (var i = 0; i < els.length; i++) if (!els[i].hasAttribute("data-rendered")) return;
    document.body.setAttribute("data-overflow", overflowing().join(" | "));
    document.body.setAttribute("data-tab-rendered", state.tab);
  }
  /* Text that does not fit: an element whose content is wider or taller than its box, or that
     reaches past the window's right edge. Written to body[data-overflow] once a tab is drawn,
     for the browser test (empty when everything fits). */
  var FITS = "header *, .tabs button, .alert-box li span, .kpi .name, .kpi .alt, .kpi .value, .kpi .deltas, .partial, " +
    ".chart-head .t, .chart-head .d, .chart-head select, h2, table.hist th, table.hist td";
  function overflowing() {
    var out = [], width = document.documentElement.clientWidth;
    var els = document.querySelectorAll(FITS);
    for (var i = 0; i < els.length; i++) {
      var el = els[i], r = el.getBoundingClientRect();
      if (!r.width) continue;
      var wrap = el.closest(".table-wrap");
      var clipped = el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== "visible";
      var pastEdge = !wrap && r.right > width + 0.5;
      var wider = el.scrollWidth > Math.ceil(r.width) + 1 && el.children.length === 0;
      if (clipped || pastEdge || wider) out.push((el.className || el.tagName.toLowerCase()) + ": " + (el.textContent || "").trim().slice(0, 40));
    }
    return out;
  }

  /* ---- the data-quality tab (models/quality) ---- */
  function qualityTab() {
    var act = D.quality.summary.filter(function (r) { return r.verdict === "act"; }).length;
    var badge = act ? "<span class='count critical'>" + act + "</span>" : "";
    return "<button role='tab' data-tab='quality' class='" + (state.tab === "quality" ? "on" : "") + "'>" + esc(t("quality")) + badge + "</button>";
  }
  function word(group, key) { return (t(group) || {})[key] || key; }
  function qualityHtml() {
    var q = D.quality, nf0s = function (v) { return v === null || v === undefined ? "—" : nf0.format(v); };
    var html = "<h2>" + esc(t("qWorst")) + "</h2><div class='table-wrap'><table class='hist quality'><thead><tr><th>#</th><th>" +
      esc(t("qTable")) + "</th><th>" + esc(t("qVerdict")) + "</th><th class='num'>" + esc(t("qRows")) + "</th><th class='num'>" +
      esc(t("qQuar")) + "</th><th class='num'>" + esc(t("qHeld")) + "</th><th class='num'>" + esc(t("qUnacc")) + "</th><th>" +
      esc(t("qFresh")) + "</th><th>" + esc(t("qVolume")) + "</th></tr></thead><tbody>" +
      q.summary.map(function (r) {
        var sev = r.verdict === "act" ? "critical" : r.verdict === "look" ? "warning" : "info";
        return "<tr data-table='" + esc(r.table) + "'><td>" + r.rank + "</td><td><b>" + esc(r.table) + "</b></td><td><span class='sev " + sev + "'>" +
          esc(word("verdicts", r.verdict)) + "</span></td><td class='num'>" + nf0s(r.raw) + "</td><td class='num'>" + nf0s(r.quarantined) +
          " <span class='muted'>(" + fmt(r.share, "rate") + ")</span></td><td class='num'>" + nf0s(r.held) + "</td><td class='num'>" +
          nf0s(r.unaccounted) + "</td><td>" + esc(r.hours === null ? "—" : nf(1).format(r.hours) + " " + t("hAgo")) + " · " +
          esc(word("statuses", r.freshness)) + "</td><td>" + esc(r.ratio === null ? "—" : "×" + nf(2).format(r.ratio)) + " · " +
          esc(word("statuses", r.volume)) + "</td></tr>";
      }).join("") + "</tbody></table></div>";
    html += "<div class='charts'><div class='chart-card'><div class='chart-head'><div class='t'>" + esc(t("qDays")) +
      "</div></div><div class='chart' data-quality='days'></div></div><div class='chart-card'><div class='chart-head'><div class='t'>" +
      esc(t("qRuns")) + "</div></div><div class='chart' data-quality='runs'></div></div></div>";
    html += "<h2>" + esc(t("qReasons")) + "</h2><div class='table-wrap'><table class='hist'><thead><tr><th>" + esc(t("qTable")) + "</th><th>" +
      esc(t("qStatus")) + "</th><th>" + esc(t("qReason")) + "</th><th class='num'>" + esc(t("qFailures")) + "</th></tr></thead><tbody>" +
      q.reasons.map(function (r) {
        return "<tr><td>" + esc(r.table) + "</td><td>" + esc(word("statuses", r.issue)) + "</td><td>" + esc(r.reason.replace(/_/g, " ")) +
          "</td><td class='num'>" + nf0.format(r.rows) + "</td></tr>";
      }).join("") + "</tbody></table></div>";
    html += "<h2>" + esc(t("qFailing")) + "</h2>" + (q.failing.length ? "<div class='table-wrap'><table class='hist'><thead><tr><th>" +
      esc(t("qStatus")) + "</th><th>" + esc(t("qTest")) + "</th><th>" + esc(t("qTable")) + "</th><th class='num'>" + esc(t("qFailures")) +
      "</th></tr></thead><tbody>" + q.failing.map(function (r) {
        var sev = r.status === "warn" ? "warning" : "critical";
        return "<tr><td><span class='sev " + sev + "'>" + esc(word("statuses", r.status)) + "</span></td><td class='wrap'>" + esc(r.test) +
          "</td><td>" + esc(r.model || "") + "</td><td class='num'>" + nf0s(r.failures) + "</td></tr>";
      }).join("") + "</tbody></table></div>" : "<p class='muted'>" + esc(t("qAllPass")) + "</p>");
    return html;
  }
  function qualityOption(kind) {
    var q = D.quality, base = {
      animation: false, grid: { left: 8, right: 14, top: 34, bottom: 6, containLabel: true },
      legend: { type: "scroll", top: 0, left: 0, right: 0, itemWidth: 14, itemHeight: 8, textStyle: { fontSize: 11 } },
      tooltip: { trigger: "axis", confine: true },
      yAxis: { type: "value", minInterval: 1, splitLine: { lineStyle: { color: "#eef1f6" } }, axisLabel: { color: "#6b7385", fontSize: 10.5 } },
    };
    if (kind === "days") {
      base.xAxis = { type: "category", data: q.days.map(function (d) { return periodLabel(d, "day", true); }), axisLabel: { color: "#6b7385", fontSize: 10.5, hideOverlap: true } };
      base.series = ["quarantined", "held"].map(function (k, i) {
        return { name: word("statuses", k), type: "bar", stack: "rows", data: q.per_day[k], itemStyle: { color: i ? "#f59f00" : "#e64980" } };
      });
    } else {
      base.xAxis = { type: "category", data: q.runs.map(function (r) { return r.at.slice(5); }), axisLabel: { color: "#6b7385", fontSize: 10.5, hideOverlap: true } };
      base.series = [["pass", "#12b886"], ["warn", "#f59f00"], ["fail", "#fa5252"]].map(function (k) {
        return { name: word("statuses", k[0]), type: "bar", stack: "tests", data: q.runs.map(function (r) { return r[k[0]]; }), itemStyle: { color: k[1] } };
      });
    }
    return base;
  }
  function drawQualityChart(el) {
    var option = qualityOption(el.getAttribute("data-quality"));
    var chart = echarts.init(el, null, { renderer: "canvas" });
    charts.push(chart);
    el.setAttribute("data-points", String(pointsIn(option)));
    chart.on("finished", function () { el.setAttribute("data-rendered", el.getAttribute("data-points")); markTabDone(); });
    chart.setOption(option, true);
  }

  function renderPanel() {
    charts.forEach(function (c) { c.dispose(); });
    charts = [];
    document.body.removeAttribute("data-tab-rendered");
    if (state.tab === "quality") {
      var qp = document.getElementById("panel");
      qp.innerHTML = qualityHtml();
      qp.setAttribute("data-tab", "quality");
      var qe = qp.querySelectorAll(".chart");
      for (var qi = 0; qi < qe.length; qi++) drawQualityChart(qe[qi]);
      if (!qe.length) markTabDone();
      return;
    }
    var names = metricsOf(state.tab), g = D.grains[state.grain];
    var lastIdx = g.periods.length - 1;
    var partial = lastIdx >= 0 && !g.complete[lastIdx]
      ? "<div class='partial'>◐ " + esc(t("partial").replace("{g}", t(state.grain)).replace("{p}", periodLabel(g.periods[lastIdx], state.grain))) + "</div>"
      : "";
    var html = "<h2>" + esc(t("kpis")) + " " + esc(t(state.grain).toLowerCase()) + ": " + esc(periodLabel(g.latest_complete, state.grain)) + "</h2>" +
      renderKpis(names, g) + partial;
    html += "<h2>" + esc(t("trends")) + "</h2><div class='charts'>" + names.map(function (n) {
      var m = D.metrics[n];
      var dims = m.dimensions;
      var current = state.dims[n] || defaultDim(n);
      var select = dims.length ? "<select data-metric='" + n + "' aria-label='" + esc(t("breakdown")) + "'>" +
        ["all"].concat(dims).map(function (d) {
          return "<option value='" + d + "'" + (d === current ? " selected" : "") + ">" +
            esc(d === "all" ? t("total") : t("by") === "by" ? "by " + dimLabel(d) : dimLabel(d) + " " + t("by")) + "</option>";
        }).join("") + "</select>" : "";
      return "<div class='chart-card'><div class='chart-head'><div><div class='t'>" + esc(label(n)) +
        " <span class='muted' style='font-weight:400'>· " + esc(altLabel(n)) + "</span></div><div class='d'>" + esc(m.definition) +
        "</div></div>" + select + "</div><div class='chart' data-metric='" + n + "'></div></div>";
    }).join("") + "</div>";
    var hist = alertsOf(state.tab).slice(0, 15);
    html += "<h2>" + esc(t("history")) + "<span class='hint'>" + esc(t("historyHint")) + "</span></h2>";
    html += hist.length ? "<table class='hist'><thead><tr><th></th><th>" + esc(t("when")) + "</th><th>" + esc(t("rule")) + "</th><th>" +
      esc(t("metric")) + "</th></tr></thead><tbody>" + hist.map(function (a) {
        return "<tr><td><span class='sev " + a.severity + "'>" + esc(t("sev")[a.severity] || a.severity) + "</span></td><td>" + esc(periodLabel(a.period, a.grain)) +
          "</td><td>" + esc(a.rule) + "</td><td>" + alertText(a) + "</td></tr>";
      }).join("") + "</tbody></table>" : "<p class='muted'>" + esc(t("none")) + "</p>";
    var panel = document.getElementById("panel");
    panel.innerHTML = html;
    panel.setAttribute("data-tab", state.tab);
    var els = panel.querySelectorAll(".chart");
    for (var i = 0; i < els.length; i++) drawChart(els[i]);
    if (!els.length) markTabDone();
  }

  function render() { writeHash(); renderChrome(); renderPanel(); }

  document.addEventListener("click", function (e) {
    var b = e.target.closest("button");
    if (!b) return;
    if (b.dataset.tab) { state.tab = b.dataset.tab; render(); window.scrollTo(0, 0); }
    else if (b.dataset.grain) { state.grain = b.dataset.grain; render(); }
    else if (b.dataset.lang) { state.lang = b.dataset.lang; render(); }
  });
  document.addEventListener("change", function (e) {
    var s = e.target;
    if (s.tagName === "SELECT" && s.dataset.metric) {
      state.dims[s.dataset.metric] = s.value;
      var el = document.querySelector(".chart[data-metric='" + s.dataset.metric + "']");
      el.removeAttribute("data-rendered");
      drawChart(el);
    }
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  window.addEventListener("hashchange", function () { readHash(); render(); });
  readHash();
  render();
})();
