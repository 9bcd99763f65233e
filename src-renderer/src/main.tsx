import { createRoot } from 'react-dom/client';

// Placeholder page: the server list and inspector views arrive with the desktop-app and inspector issues.
function App() {
  return <h1>MCP Patchbay</h1>;
}

createRoot(document.getElementById('root')!).render(<App />);
