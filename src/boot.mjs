// Trunk's start-up hooks (data-initializer in index.html): the page says "Loading…" until the
// app runs, then gets out of the way; if the app cannot start, it says so instead of staying
// blank.
export default function boot() {
  const panel = () => document.getElementById('boot');
  return {
    onSuccess: () => panel()?.remove(),
    onFailure: (error) => {
      panel()?.classList.add('failed');
      const status = document.getElementById('boot-status');
      if (status) {
        status.textContent = 'Chairside could not start in this browser (' + error + '). ' +
          'Reload the page; if this keeps happening, use a current Chrome, Edge, Firefox or Safari, ' +
          'or ask whoever runs Chairside at your office.';
      }
    },
  };
}
