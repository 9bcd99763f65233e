import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { AppRuntime } from './app-runtime';
import { RuntimeContext } from './runtime-context';
import './styles.css';

// The runtime starts outside React: the event stream must be open (and buffering) before anything renders or
// connects, and React's development double-mounting must not start it twice.
const runtime = new AppRuntime();
void runtime.start();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <RuntimeContext.Provider value={runtime}>
      <App />
    </RuntimeContext.Provider>
  </StrictMode>,
);
