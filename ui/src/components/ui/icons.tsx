import type { SVGProps } from "react";

/** Line icons on a 20px grid; decorative, so hidden from assistive technology. */
function Icon({ children, ...rest }: SVGProps<SVGSVGElement>) {
  return (
    <svg
      width="18"
      height="18"
      viewBox="0 0 20 20"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.6"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
      {...rest}
    >
      {children}
    </svg>
  );
}

export const PlusIcon = () => (
  <Icon>
    <path d="M10 4.5v11M4.5 10h11" />
  </Icon>
);

export const TrashIcon = () => (
  <Icon>
    <path d="M4 6h12M8.5 6V4.5h3V6M6 6l.7 9.2a1 1 0 0 0 1 .8h4.6a1 1 0 0 0 1-.8L14 6" />
  </Icon>
);

export const SettingsIcon = () => (
  <Icon>
    <circle cx="10" cy="10" r="2.4" />
    <path d="M10 2.8v2M10 15.2v2M2.8 10h2M15.2 10h2M4.9 4.9l1.4 1.4M13.7 13.7l1.4 1.4M4.9 15.1l1.4-1.4M13.7 6.3l1.4-1.4" />
  </Icon>
);

export const SendIcon = () => (
  <Icon>
    <path d="M10 15.5v-11M5.5 9 10 4.5 14.5 9" />
  </Icon>
);

export const StopIcon = () => (
  <Icon>
    <rect x="6" y="6" width="8" height="8" rx="1.5" fill="currentColor" stroke="none" />
  </Icon>
);

export const RegenerateIcon = () => (
  <Icon>
    <path d="M15.5 10a5.5 5.5 0 1 1-1.6-3.9" />
    <path d="M15.5 4v3.5H12" />
  </Icon>
);

/** A play arrow with a trailing line: carry on from where it stopped. */
export const ContinueIcon = () => (
  <Icon>
    <path d="M5 5.5v9l6.5-4.5Z" />
    <path d="M14.5 5.5v9" />
  </Icon>
);

export const EditIcon = () => (
  <Icon>
    <path d="M12.8 4.7 15.3 7.2M4.5 15.5l.6-3.1 8.5-8.5a1.3 1.3 0 0 1 1.8 0l.7.7a1.3 1.3 0 0 1 0 1.8l-8.5 8.5-3.1.6Z" />
  </Icon>
);

export const InfoIcon = () => (
  <Icon>
    <circle cx="10" cy="10" r="7" />
    <path d="M10 9.2v4.3M10 6.6v.1" />
  </Icon>
);

export const CloseIcon = () => (
  <Icon>
    <path d="m5.5 5.5 9 9M14.5 5.5l-9 9" />
  </Icon>
);

export const CopyIcon = () => (
  <Icon>
    <rect x="7" y="7" width="9" height="9" rx="1.8" />
    <path d="M13 7V5.2A1.2 1.2 0 0 0 11.8 4H5.2A1.2 1.2 0 0 0 4 5.2v6.6A1.2 1.2 0 0 0 5.2 13H7" />
  </Icon>
);

export const CheckIcon = () => (
  <Icon>
    <path d="m4.5 10.5 3.5 3.5 7.5-8" />
  </Icon>
);

export const AlertIcon = () => (
  <Icon>
    <circle cx="10" cy="10" r="7" />
    <path d="M10 6.5v4.2M10 13.4v.1" />
  </Icon>
);

export const ChatIcon = () => (
  <Icon>
    <path d="M4 5.8A2.3 2.3 0 0 1 6.3 3.5h7.4A2.3 2.3 0 0 1 16 5.8v5.4a2.3 2.3 0 0 1-2.3 2.3H9l-3.5 3v-3h0A1.6 1.6 0 0 1 4 12V5.8Z" />
  </Icon>
);

export const KeyIcon = () => (
  <Icon>
    <circle cx="7" cy="12.5" r="3" />
    <path d="m9.2 10.3 6.3-6.3M13 6.5l1.8 1.8M11.3 8.2l1.4 1.4" />
  </Icon>
);

export const ArrowUpIcon = () => (
  <Icon>
    <path d="M10 15.5v-11M5.5 9 10 4.5 14.5 9" />
  </Icon>
);

export const ArrowDownIcon = () => (
  <Icon>
    <path d="M10 4.5v11M5.5 11l4.5 4.5 4.5-4.5" />
  </Icon>
);

export const PinIcon = () => (
  <Icon>
    <path d="M8 3.5h4l-.5 4.5 2.5 2.5v1H6v-1L8.5 8 8 3.5zM10 11.5v5" />
  </Icon>
);

export const ArchiveIcon = () => (
  <Icon>
    <path d="M3.5 4.5h13v3h-13zM4.5 7.5v8h11v-8M8 10.5h4" />
  </Icon>
);

export const SearchIcon = () => (
  <Icon>
    <circle cx="9" cy="9" r="5" />
    <path d="M13 13l3.5 3.5" />
  </Icon>
);

export const LayersIcon = () => (
  <Icon>
    <path d="M10 3.5l6.5 3.5-6.5 3.5L3.5 7 10 3.5zM3.5 10.5l6.5 3.5 6.5-3.5M3.5 13.5 10 17l6.5-3.5" />
  </Icon>
);

export const EyeOffIcon = () => (
  <Icon>
    <path d="M3 10s2.5-5 7-5 7 5 7 5-2.5 5-7 5-7-5-7-5z" />
    <circle cx="10" cy="10" r="2" />
    <path d="M4 16 16 4" />
  </Icon>
);

export const ChartIcon = () => (
  <Icon>
    <path d="M4 16V9M8.7 16V4.5M13.3 16v-5M17 16H3" />
  </Icon>
);

export const CodeIcon = () => (
  <Icon>
    <path d="M7.5 6 3.5 10l4 4M12.5 6l4 4-4 4" />
  </Icon>
);

export const DatabaseIcon = () => (
  <Icon>
    <ellipse cx="10" cy="5.5" rx="5.5" ry="2.2" />
    <path d="M4.5 5.5v9c0 1.2 2.5 2.2 5.5 2.2s5.5-1 5.5-2.2v-9M4.5 10c0 1.2 2.5 2.2 5.5 2.2s5.5-1 5.5-2.2" />
  </Icon>
);

export const BranchIcon = () => (
  <Icon>
    <circle cx="6" cy="4.5" r="1.8" />
    <circle cx="6" cy="15.5" r="1.8" />
    <circle cx="14" cy="7.5" r="1.8" />
    <path d="M6 6.3v7.4M14 9.3c0 3-3 3.2-7.2 5" />
  </Icon>
);

export const ChevronLeftIcon = () => (
  <Icon>
    <path d="M12 5l-5 5 5 5" />
  </Icon>
);

export const ChevronRightIcon = () => (
  <Icon>
    <path d="M8 5l5 5-5 5" />
  </Icon>
);

export const PaperclipIcon = () => (
  <Icon>
    <path d="M15.5 9.5l-5.3 5.3a3.3 3.3 0 0 1-4.7-4.7l5.8-5.8a2.2 2.2 0 0 1 3.1 3.1l-5.8 5.8a1.1 1.1 0 0 1-1.6-1.6l5.3-5.3" />
  </Icon>
);

export const FileIcon = () => (
  <Icon>
    <path d="M11.5 3H6a1 1 0 0 0-1 1v12a1 1 0 0 0 1 1h8a1 1 0 0 0 1-1V6.5L11.5 3z" />
    <path d="M11.5 3v3.5H15M7.5 10.5h5M7.5 13.5h5" />
  </Icon>
);

export const ToolIcon = () => (
  <Icon>
    <path d="M12.2 3.6a3.6 3.6 0 0 0-4.4 4.6L3.9 12.1a1.5 1.5 0 0 0 2.1 2.1l3.9-3.9a3.6 3.6 0 0 0 4.6-4.4l-2.2 2.2-1.9-.4-.4-1.9 2.2-2.2z" />
  </Icon>
);

export const BookIcon = () => (
  <Icon>
    <path d="M4 4.5A1.5 1.5 0 0 1 5.5 3H16v12H5.5A1.5 1.5 0 0 0 4 16.5z" />
    <path d="M4 16.5A1.5 1.5 0 0 0 5.5 18H16v-3" />
    <path d="M7.5 6.5h5" />
  </Icon>
);

export const ImageIcon = () => (
  <Icon>
    <rect x="3" y="4" width="14" height="12" rx="1.5" />
    <circle cx="7.5" cy="8.5" r="1.3" />
    <path d="M17 13l-3.5-3.5L6 16" />
  </Icon>
);
