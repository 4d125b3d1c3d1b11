// Entry point of the GraphiQL bundle embedded in the InnoGraph server.
//
// The page (web/index.html) carries its configuration in data attributes on
// the #graphiql element, so no inline script is needed and the page can be
// served with a strict Content-Security-Policy:
//
//   data-endpoint       the GraphQL endpoint
//   data-default-query  the query of a tab the user opens
//   data-tabs           the example questions (web/examples.graphql) as a
//                       JSON list of {title, operation, query}
import React from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { explorerPlugin } from '@graphiql/plugin-explorer';
import 'graphiql/style.css';
import '@graphiql/plugin-explorer/style.css';
import './page.css';

const root = document.getElementById('graphiql');
const endpoint = root.dataset.endpoint || '/graphql';
const defaultQuery = root.dataset.defaultQuery || '';

function parseTabs(text) {
  try {
    const tabs = JSON.parse(text || '[]');
    return Array.isArray(tabs) ? tabs : [];
  } catch (err) {
    console.warn('data-tabs is not a JSON list:', err);
    return [];
  }
}

const examples = parseTabs(root.dataset.tabs);

// A plain same-origin fetcher: queries and mutations are POSTed as JSON.
async function fetcher(params, opts) {
  const response = await fetch(endpoint, {
    method: 'POST',
    credentials: 'same-origin',
    headers: {
      Accept: 'application/json',
      'Content-Type': 'application/json',
      ...(opts && opts.headers),
    },
    body: JSON.stringify(params),
  });
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    return { errors: [{ message: `HTTP ${response.status}: ${text}` }] };
  }
}

// The query builder: the schema's fields as a tree of check boxes that
// write the query. Its links to its authors' web site are left out: the
// page must work without internet access.
const queryBuilderTitle = 'Query Builder · 查询构建器';
const queryBuilder = {
  ...explorerPlugin({ showAttribution: false, title: queryBuilderTitle }),
  title: queryBuilderTitle,
};

// GraphiQL names a tab after its operation, and an operation name can only
// be ASCII letters and digits. An example tab shows its question instead:
// whenever a tab button shows the operation name of an example, its text
// (and tooltip) become the example's title. React rewrites the text only
// when the operation name changes, and then the observer looks again.
function showExampleTitles(container, titles) {
  const relabel = () => {
    for (const button of container.querySelectorAll('.graphiql-tab-button')) {
      const text = button.firstChild;
      if (!text || text !== button.lastChild || text.nodeType !== Node.TEXT_NODE) {
        continue;
      }
      const title = titles.get(text.nodeValue);
      if (title) {
        text.nodeValue = title;
        button.title = title;
      }
    }
  };
  new MutationObserver(relabel).observe(container, {
    childList: true,
    characterData: true,
    subtree: true,
  });
  relabel();
}

// Opens the query builder when the page loads, as soon as its sidebar
// button and the query editor appear, by clicking the button: GraphiQL
// 4.1's visiblePlugin prop marks the plugin visible but leaves its pane
// hidden on the first render.
//
// The query editor gets the focus first. Otherwise the builder gives it to
// the last argument of the query it shows (graphiql-explorer focuses each
// argument input it creates unless a text area has the focus), and opens
// scrolled down to it.
function openOnce(container, label) {
  const open = () => {
    const button = container.querySelector(`button[aria-label="${label}"]`);
    const editor = container.querySelector('.graphiql-query-editor .CodeMirror textarea');
    if (!button || !editor) {
      return false;
    }
    editor.focus();
    button.click();
    return true;
  };
  const observer = new MutationObserver(() => {
    if (open()) {
      observer.disconnect();
    }
  });
  observer.observe(container, { childList: true, subtree: true });
}

showExampleTitles(root, new Map(examples.map((e) => [e.operation, e.title])));
openOnce(root, `Show ${queryBuilder.title}`);

createRoot(root).render(
  <GraphiQL
    fetcher={fetcher}
    defaultQuery={defaultQuery}
    defaultTabs={
      examples.length > 0
        ? examples.map((e) => ({ query: e.query }))
        : undefined
    }
    plugins={[queryBuilder]}
  >
    <GraphiQL.Logo>
      InnoGraph{' '}
      <a className="explore-link" href="/explore" title="Explorer">
        图谱探索
      </a>
    </GraphiQL.Logo>
  </GraphiQL>,
);
