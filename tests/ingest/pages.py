"""Realistic article pages for the loopback server: the article sits among navigation,
ads, related links, a cookie banner and comments, as on a real news site."""

from __future__ import annotations

ARTICLE_SENTENCES = (
    "The city council approved a budget of 412 million euros on Tuesday, the largest in "
    "its history.",
    "Unemployment in the region fell to 4.2 percent in October, according to the national "
    "statistics office.",
    "Mayor Anna Berg said the new tram line would carry 60,000 passengers a day by 2029.",
    "Opposition members argued that the plan leaves renters without help as heating costs "
    "rise this winter.",
)

BOILERPLATE = (
    "Subscribe to our newsletter",
    "We use cookies to improve your experience",
    "Buy the new SuperPhone now",
    "Ten celebrities who changed their look",
    "This is a disgrace, wrote reader_4711",
    "Copyright 2026 Daily Example Media",
)


def article_html(title: str = "Council passes record budget") -> str:
    paragraphs = "\n".join(f"      <p>{sentence}</p>" for sentence in ARTICLE_SENTENCES)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{title} | Daily Example</title>
  <meta name="author" content="Maria Lopez">
  <meta property="og:title" content="{title}">
  <meta property="article:published_time" content="2026-11-24T08:30:00+00:00">
  <script>window.dataLayer = [{{"event": "pageview"}}];</script>
</head>
<body>
  <div id="cookie-banner" class="cookie-consent">
    <p>We use cookies to improve your experience. <button>Accept all</button></p>
  </div>
  <header>
    <nav class="main-nav">
      <ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
      <li><a href="/business">Business</a></li><li><a href="/sport">Sport</a></li></ul>
    </nav>
    <div class="newsletter"><a href="/subscribe">Subscribe to our newsletter</a></div>
  </header>
  <div class="ad ad-banner" id="ad-top"><a href="https://ads.example/x">Buy the new
    SuperPhone now</a></div>
  <main>
    <article class="story">
      <h1>{title}</h1>
      <p class="byline">By Maria Lopez, 24 November 2026</p>
{paragraphs}
    </article>
    <aside class="related-articles">
      <h3>Related</h3>
      <ul>
        <li><a href="/r/1">Ten celebrities who changed their look</a></li>
        <li><a href="/r/2">Weather: a cold week ahead</a></li>
      </ul>
    </aside>
    <section id="comments" class="comments">
      <h3>Comments (2)</h3>
      <div class="comment"><p>This is a disgrace, wrote reader_4711.</p></div>
      <div class="comment"><p>Finally some good news for the city.</p></div>
    </section>
  </main>
  <footer><p>Copyright 2026 Daily Example Media</p><a href="/privacy">Privacy</a></footer>
</body>
</html>
"""


# Non-UTF-8 pages: "é" and "€" in windows-1252 (declared as ISO-8859-1, as many old
# sites do), and Cyrillic in windows-1251 declared only in a <meta> tag.
LATIN1_SENTENCE = "Le café du marché a vendu 3 000 croissants à 1,20 € pièce en novembre."
CYRILLIC_SENTENCE = "Городской совет утвердил бюджет в размере 412 миллионов рублей во вторник."


def simple_html(sentence: str, *, meta_charset: str | None = None) -> str:
    meta = f'<meta charset="{meta_charset}">' if meta_charset else ""
    body = " ".join([sentence] * 3)
    return (
        f"<html><head>{meta}<title>Page</title></head><body><article>"
        f"<p>{body}</p><p>{sentence}</p></article></body></html>"
    )
