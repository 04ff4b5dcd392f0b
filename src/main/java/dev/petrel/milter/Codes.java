package dev.petrel.milter;

/**
 * The protocol's numbers, named as libmilter's mfdef.h names them: command and reply codes, the actions a filter
 * may take and the protocol steps it may leave out.
 */
public final class Codes {

    private Codes() {
    }

    /** The version spoken: 6 (Sendmail 8.14 and later, Postfix 2.6 and later). */
    public static final int VERSION = 6;

    // commands, MTA to filter
    public static final char ABORT = 'A';
    public static final char BODY = 'B';
    public static final char CONNECT = 'C';
    public static final char MACRO = 'D';
    public static final char BODYEOB = 'E';
    public static final char HELO = 'H';
    public static final char HEADER = 'L';
    public static final char MAIL = 'M';
    public static final char EOH = 'N';
    public static final char OPTNEG = 'O';
    public static final char QUIT = 'Q';
    public static final char RCPT = 'R';
    public static final char DATA = 'T';

    // replies, filter to MTA
    public static final char ADDRCPT = '+';
    public static final char DELRCPT = '-';
    public static final char ADDRCPT_PAR = '2';
    public static final char SHUTDOWN = '4';
    public static final char ACCEPT = 'a';
    public static final char REPLBODY = 'b';
    public static final char CONTINUE = 'c';
    public static final char DISCARD = 'd';
    public static final char CHGFROM = 'e';
    public static final char CONNFAIL = 'f';
    public static final char ADDHEADER = 'h';
    public static final char INSHEADER = 'i';
    public static final char SETSYMLIST = 'l';
    public static final char CHGHEADER = 'm';
    public static final char PROGRESS = 'p';
    public static final char QUARANTINE = 'q';
    public static final char REJECT = 'r';
    public static final char SKIP = 's';
    public static final char TEMPFAIL = 't';
    public static final char REPLYCODE = 'y';

    // actions (SMFIF_*): what the filter may do at end of message
    public static final int ADD_HEADERS = 0x01;
    public static final int CHANGE_BODY = 0x02;
    public static final int ADD_RECIPIENTS = 0x04;
    public static final int DELETE_RECIPIENTS = 0x08;
    public static final int CHANGE_HEADERS = 0x10;
    public static final int QUARANTINE_ACTION = 0x20;
    public static final int CHANGE_FROM = 0x40;
    public static final int SET_SYMBOL_LIST = 0x100;

    /** The actions Petrel carries out; a filter asking for others is granted only these. */
    public static final int OFFERED_ACTIONS = ADD_HEADERS | CHANGE_BODY | CHANGE_HEADERS | QUARANTINE_ACTION
            | SET_SYMBOL_LIST;

    // protocol steps (SMFIP_*): stages the filter does not want, and stages it does not answer
    public static final int NO_CONNECT = 0x1;
    public static final int NO_HELO = 0x2;
    public static final int NO_MAIL = 0x4;
    public static final int NO_RCPT = 0x8;
    public static final int NO_BODY = 0x10;
    public static final int NO_HEADERS = 0x20;
    public static final int NO_EOH = 0x40;
    public static final int NO_REPLY_HEADER = 0x80;
    public static final int NO_UNKNOWN = 0x100;
    public static final int NO_DATA = 0x200;
    public static final int SKIP_STEP = 0x400;
    public static final int NO_REPLY_CONNECT = 0x1000;
    public static final int NO_REPLY_HELO = 0x2000;
    public static final int NO_REPLY_MAIL = 0x4000;
    public static final int NO_REPLY_RCPT = 0x8000;
    public static final int NO_REPLY_DATA = 0x10000;
    public static final int NO_REPLY_UNKNOWN = 0x20000;
    public static final int NO_REPLY_EOH = 0x40000;
    public static final int NO_REPLY_BODY = 0x80000;
    public static final int HEADER_LEADING_SPACE = 0x100000;

    /**
     * The steps Petrel can leave out or not wait for (all but RCPT_REJ: rejected recipients are not shown to the
     * filter). Petrel never sends UNKNOWN, so NO_UNKNOWN and NO_REPLY_UNKNOWN cost nothing.
     */
    public static final int OFFERED_STEPS = NO_CONNECT | NO_HELO | NO_MAIL | NO_RCPT | NO_BODY | NO_HEADERS | NO_EOH
            | NO_REPLY_HEADER | NO_UNKNOWN | NO_DATA | SKIP_STEP | NO_REPLY_CONNECT | NO_REPLY_HELO | NO_REPLY_MAIL
            | NO_REPLY_RCPT | NO_REPLY_DATA | NO_REPLY_UNKNOWN | NO_REPLY_EOH | NO_REPLY_BODY | HEADER_LEADING_SPACE;

    /** libmilter's MILTER_CHUNK_SIZE: a BODY packet carries at most this many octets. */
    public static final int CHUNK_SIZE = 65535;

    // macro stages (SMFIM_*), as a filter names them in its OPTNEG reply
    public static final int STAGE_CONNECT = 0;
    public static final int STAGE_HELO = 1;
    public static final int STAGE_MAIL = 2;
    public static final int STAGE_RCPT = 3;
    public static final int STAGE_DATA = 4;
    public static final int STAGE_EOM = 5;
    public static final int STAGE_EOH = 6;
}
