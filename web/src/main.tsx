// Entry point: the string catalogue first (the first paint is already in the right language), then the app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './i18n/index.ts';
import { App } from './App.tsx';
import { prefetchFirstPage } from './inbox/filters.ts';
import './styles.css';

prefetchFirstPage();

const root = document.getElementById('app')!;
root.classList.remove('boot');
root.textContent = '';
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
