// Entry point of the GraphiQL bundle embedded in the InnoGraph server.
//
// The page (web/index.html) carries its configuration in data attributes on
// the #graphiql element, so no inline script is needed and the page can be
// served with a strict Content-Security-Policy.
import React from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import 'graphiql/style.css';
import './page.css';

const root = document.getElementById('graphiql');
const endpoint = root.dataset.endpoint || '/graphql';
const defaultQuery = root.dataset.defaultQuery || '';

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

createRoot(root).render(
  <GraphiQL fetcher={fetcher} defaultQuery={defaultQuery}>
    <GraphiQL.Logo>InnoGraph</GraphiQL.Logo>
  </GraphiQL>,
);
