package dev.petrel.bounce;

import static dev.petrel.mail.BounceClass.AUTH;
import static dev.petrel.mail.BounceClass.BLOCK;
import static dev.petrel.mail.BounceClass.CONTENT;
import static dev.petrel.mail.BounceClass.HARD;
import static dev.petrel.mail.BounceClass.SOFT;
import static dev.petrel.mail.BounceClass.THROTTLE;
import static dev.petrel.mail.BounceClass.UNDETERMINED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.mail.BounceClass;
import dev.petrel.mail.Reply;
import dev.petrel.smtp.client.ReplyParser;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real replies of the large mailbox providers, as published by the providers or quoted by senders who got them,
 * each with the enhanced status code Petrel takes from it and the class the shipped rules give it. A reply goes
 * through the SMTP client's reply parser as the server sent it (lines separated here by \n), so the code is taken
 * from the text whether or not the server advertised ENHANCEDSTATUSCODES; a reply without one gets X.0.0 of its
 * reply code, as the DSN and the event say. Addresses and IP addresses that the sources hid are filled in with
 * example ones (192.0.2.1, someone@...); what they left as "#" or "xx" stays so. Sources: "sfm" is ActiveCampaign's SMTP Field Manual
 * (github.com/ActiveCampaign/smtp-field-manual, data/codes/CODE.json, under the provider named).
 */
class ProviderRepliesTest {

    private static final Classifier CLASSIFIER = Classifier.shipped();

    static Stream<Arguments> replies() {
        return Stream.of(
                // ---- Gmail (Google)
                // support.google.com/a/answer/3726730 (Gmail SMTP errors and codes)
                row("421 4.7.0 Try again later, closing connection.", "4.7.0", THROTTLE),
                // support.google.com/a/answer/3726730
                row("421 4.7.0 IP not in whitelist for RCPT domain, closing connection.", "4.7.0", BLOCK),
                // support.google.com/a/answer/3726730
                row("421 4.7.0 Our system has detected an unusual rate of unsolicited mail originating from your IP"
                        + " address. To protect our users from spam, mail sent from your IP address has been temporarily"
                        + " blocked. For more information, visit Prevent mail to Gmail users from being blocked or sent"
                        + " to spam.", "4.7.0", BLOCK),
                // support.google.com/a/answer/3726730
                row("421 4.4.5 Server busy, try again later.", "4.4.5", THROTTLE),
                // support.google.com/a/answer/3726730
                row("421 4.3.0 Temporary System Problem. Try again later", "4.3.0", SOFT),
                // sfm 421.json, Google
                row("421 4.7.28 [192.0.2.1] Our system has detected an unusual rate of unsolicited mail originating"
                        + " from your IP address. To protect our users from spam, mail sent from your IP address has been"
                        + " temporarily rate limited. Please visit https://support.google.com/mail/?p=UnsolicitedRateLimitError"
                        + " to review our Bulk Email Senders Guidelines. - gsmtp", "4.7.28", THROTTLE),
                // sfm 421.json, Google
                row("421 4.7.0 [192.0.2.1] Our system has detected that this message is suspicious due to the very low"
                        + " reputation of the sending domain. To best protect our users from spam, the message has been"
                        + " blocked. Please visit https://support.google.com/mail/answer/188131 for more information."
                        + " - gsmtp", "4.7.0", BLOCK),
                // sfm 421.json, Google
                row("421 4.7.0 [192.0.2.1] Our system has detected that this message is suspicious due to the nature"
                        + " of the content and/or the links within. To best protect our users from spam, the message has"
                        + " been blocked. Please visit https://support.google.com/mail/answer/188131 for more information."
                        + " - gsmtp", "4.7.0", CONTENT),
                // sfm 450.json, Google
                row("450 4.2.1 The user you are trying to contact is receiving mail at a rate that prevents additional"
                        + " messages from being delivered. Please resend your message at a later time. If the user is able"
                        + " to receive mail at that time, your message will be delivered. For more information, please"
                        + " visit https://support.google.com/mail/?p=ReceivingRate - gsmtp", "4.2.1", THROTTLE),
                // sfm 451.json, Google
                row("451 4.3.0 Mail server temporarily rejected message. - gsmtp", "4.3.0", SOFT),
                // sfm 452.json, Google
                row("452 4.2.2 The email account that you tried to reach is over quota. Please direct the recipient to"
                        + " https://support.google.com/mail/?p=OverQuotaTemp - gsmtp", "4.2.2", SOFT),
                // github.com/MISP/MISP/issues/6481 (the whole multi-line reply)
                row("550-5.1.1 The email account that you tried to reach does not exist. Please try\n"
                        + "550-5.1.1 double-checking the recipient's email address for typos or\n"
                        + "550-5.1.1 unnecessary spaces. Learn more at\n"
                        + "550 5.1.1  https://support.google.com/mail/?p=NoSuchUser s19si71853ejd.408 - gsmtp",
                        "5.1.1", HARD),
                // sfm 550.json, Google
                row("550 5.2.1 The email account that you tried to reach is disabled. Learn more at"
                        + " https://support.google.com/mail/?p=DisabledUser - gsmtp", "5.2.1", HARD),
                // sfm 550.json, Google: 5.2.1, which the registry calls "mailbox disabled", for a receiving rate
                row("550 5.2.1 The user you are trying to contact is receiving mail at a rate that prevents additional"
                        + " messages from being delivered. For more information, please visit"
                        + " https://support.google.com/mail/?p=ReceivingRatePerm - gsmtp", "5.2.1", THROTTLE),
                // sfm 550.json, Google
                row("550 5.7.1 [192.0.2.1] Our system has detected that this message is likely unsolicited mail. To"
                        + " reduce the amount of spam sent to Gmail, this message has been blocked. Please visit"
                        + " https://support.google.com/mail/?p=UnsolicitedMessageError for more information. - gsmtp",
                        "5.7.1", BLOCK),
                // sfm 550.json, Google
                row("550 5.7.1 Unauthenticated email from example.com is not accepted due to domain's DMARC policy."
                        + " Please contact the administrator of example.com domain if this was a legitimate mail. Please"
                        + " visit https://support.google.com/mail/answer/2451690 to learn about the DMARC initiative."
                        + " - gsmtp", "5.7.1", AUTH),
                // sfm 550.json, Google
                row("550 5.7.1 [192.0.2.1 14] Messages missing a valid address in From: header, or having no From:"
                        + " header, are not accepted. - gsmtp", "5.7.1", CONTENT),
                // github.com/stephane-klein/backlog/issues/149 (the whole multi-line reply)
                row("550-5.7.26 This message does not pass authentication checks (SPF and DKIM both\n"
                        + "550-5.7.26 do not pass). SPF check for [orange.fr] does not pass with ip:\n"
                        + "550-5.7.26 [217.70.183.194].To best protect our users from spam, the message\n"
                        + "550-5.7.26 has been blocked. Please visit\n"
                        + "550-5.7.26 https://support.google.com/mail/answer/81126#authentication for more\n"
                        + "550 5.7.26 information. s17-20020adfea91000000b002c552f5db89si6436405wrm.137 - gsmtp",
                        "5.7.26", AUTH),
                // dwaves.org/2017/02/02/everyone-uses-google-mail-of-course-unencrypted-why-does-google-mail-hate-my-mailserver
                row("550-5.7.1 [2001:db8::1] Our system has detected an unusual rate\n"
                        + "550-5.7.1 of unsolicited mail originating from your IP address. To protect our\n"
                        + "550-5.7.1 users from spam, mail sent from your IP address has been blocked.\n"
                        + "550-5.7.1 Please visit\n"
                        + "550-5.7.1 to review our\n"
                        + "550 5.7.1 Bulk Email Senders Guidelines. u66si15473913qki.107 - gsmtp", "5.7.1", BLOCK),
                // powerdmarc.com/ja/fix-this-mail-is-unauthenticated-gmail-error
                row("550-5.7.26 This mail has been blocked because the sender is unauthenticated.\n"
                        + "550 5.7.26 Gmail requires all senders to authenticate with either SPF or DKIM.", "5.7.26", AUTH),
                // sfm 552.json, Google
                row("552 5.2.2 The email account that you tried to reach is over quota. Please direct the recipient to"
                        + " https://support.google.com/mail/?p=OverQuotaPerm - gsmtp", "5.2.2", SOFT),
                // sfm 552.json, Google
                row("552 5.2.3 Your message exceeded Google's message size limits. Please visit"
                        + " http://mail.google.com/support/bin/answer.py?answer=8770 to review our size guidelines.",
                        "5.2.3", CONTENT),
                // sfm 552.json, Google
                row("552 5.7.0 Our system detected an illegal attachment on your message. Please visit"
                        + " http://mail.google.com/support/bin/answer.py?answer=6590 to review our attachment guidelines.",
                        "5.7.0", CONTENT),
                // sfm 553.json, Google
                row("553 5.1.2 The recipient address <someone@example.com> is not a valid RFC-5321 address. - gsmtp",
                        "5.1.2", HARD),

                // ---- Microsoft: Outlook.com, Hotmail, Live, Microsoft 365 (Exchange Online)
                // sevencreative.co.uk/how-to-remove-yourself-from-the-hotmail-block-list
                row("550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent. Please contact your Internet"
                        + " service provider since part of their network is on our block list (S3150). You can also refer"
                        + " your provider to [DB3EUR04FT007.eop-eur04.prod.protection.outlook.com]", "5.7.1", BLOCK),
                // virtbiz.com knowledgebase 71 (Outlook or Hotmail or Microsoft has blocked my email)
                row("550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent. Please contact your Internet"
                        + " service provider since part of their network is on our block list (S3140). You can also refer"
                        + " your provider to http://mail.live.com/mail/troubleshooting.aspx#errors."
                        + " [DM6NAM12FT056.eop-nam12.prod.protection.outlook.com]", "5.7.1", BLOCK),
                // support.binarylane.com.au, "Emails to Hotmail and Outlook are blocked": no enhanced status code
                row("550 SC-001 (BAY004-MC4F49) Unfortunately, messages from 192.0.2.1 weren't sent. Please contact"
                        + " your Internet service provider since part of their network is on our block list. You can also"
                        + " refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors.", "5.0.0", BLOCK),
                // forum.directadmin.com, thread 82240 (Hotmail: temporarily rate limited due to IP reputation)
                row("451 4.7.650 The mail server [192.0.2.1] has been temporarily rate limited due to IP reputation."
                        + " For e-mail delivery information, see https://aka.ms/postmaster (S775)", "4.7.650", THROTTLE),
                // sfm 451.json, Outlook
                row("451 4.7.651 The mail server [192.0.2.1] has been temporarily rate limited due to IP reputation."
                        + " For e-mail delivery information, see https://postmaster.live.com (S3114)", "4.7.651", THROTTLE),
                // sfm 451.json, Exchange Online
                row("451 4.7.500 Server busy. Please try again later from [192.0.2.1]. (AS77712344)"
                        + " [#.prod.protection.outlook.com]", "4.7.500", THROTTLE),
                // spamresource.com/2023/09/microsoft-multiple-types-of-invalid.html
                row("550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302)."
                        + " [HE1EUR01FT020.eop-EUR01.prod.protection.outlook.com 2023-09-19T15:05:34.324Z"
                        + " 08DBB71928CA8F8E]", "5.5.0", HARD),
                // spamresource.com/2023/09/microsoft-multiple-types-of-invalid.html
                row("550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient firstname.lastname@company.com not found by"
                        + " SMTP address lookup", "5.1.10", HARD),
                // github.com/zone-eu/zone-mta/pull/214 (Microsoft 365's "access denied" is an address that does not exist)
                row("550 5.4.1 Recipient address rejected: Access denied. AS(201806281)"
                        + " [PR2FRA01FT009.eop-fra01.prod.protection.outlook.com]", "5.4.1", HARD),
                // sfm 550.json, Exchange Online
                row("550 5.7.606 Access denied, banned sending IP [192.0.2.1]. To request removal from this list please"
                        + " visit https://sender.office.com/ and follow the directions. For more information please go to"
                        + " http://go.microsoft.com/fwlink/?LinkID=526655 (AS16012609)", "5.7.606", BLOCK),
                // sfm 550.json, Outlook
                row("550 5.7.1 Service unavailable, MailFrom domain is listed in Spamhaus. To request removal from this"
                        + " list see https://www.spamhaus.org/query/lookup/ (S8002)"
                        + " [#.eop-nam02.prod.protection.outlook.com]", "5.7.1", BLOCK),
                // sfm 554.json, Outlook
                row("554 5.2.122 The recipient has exceeded their limit for the number of messages they can receive"
                        + " per hour. For more information go to http://go.microsoft.com/fwlink/?LinkId=526653. (#)"
                        + " [outlook.com]", "5.2.122", THROTTLE),
                // sfm 554.json, Outlook
                row("554 5.2.121 The sender has exceeded the limit for the number of messages they can send to this"
                        + " recipient per hour. For more information go to http://go.microsoft.com/fwlink/?LinkId=526653.",
                        "5.2.121", THROTTLE),
                // support.microsoft.com, "Fix NDR error 550 5.7.515 in Outlook.com"
                row("550 5.7.515 Access denied, sending domain example.com does not meet the required authentication"
                        + " level.", "5.7.515", AUTH),
                // simplefastwebsites.com/errors/email/smtp-550-5-7-509-m365-does-not-pass-dmarc
                row("550 5.7.509 Access denied, sending domain does not pass DMARC verification and has a DMARC policy"
                        + " of reject.", "5.7.509", AUTH),
                // sfm 421.json, Outlook
                row("421 4.3.2 Service not available [outlook.com]", "4.3.2", SOFT),
                // sfm 452.json, Outlook
                row("452 4.3.1 Insufficient system resources (TSTE) [outlook.com]", "4.3.1", SOFT),
                // sfm 501.json, Outlook
                row("501 5.1.3 Invalid address [outlook.com]", "5.1.3", HARD),

                // ---- Yahoo and AOL (Yahoo's servers receive AOL's mail too)
                // secuserve.zammad.com/help/en-us/5-f-a-q/397-deferred-yahoo-said-421-4-7-0-tss04
                row("421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user"
                        + " complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes", "4.7.0", THROTTLE),
                // community.fortinet.com, "How to resolve 421 4.7.0 [TSS05]"
                row("421 4.7.0 [TSS05] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user"
                        + " complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes", "4.7.0", THROTTLE),
                // sfm 421.json, Yahoo Inc: no enhanced status code
                row("421 Max message per connection reached, closing transmission channel", "4.0.0", THROTTLE),
                // sfm 421.json, Yahoo Inc
                row("421 Service not available, closing transmission channel", "4.0.0", SOFT),
                // sfm 450.json, Yahoo Inc
                row("450 User is receiving mail too quickly", "4.0.0", THROTTLE),
                // sfm 451.json, Yahoo Inc: the code at the end is Yahoo's own, not an enhanced status code
                row("451 example.yahoo.com Resources temporarily unavailable. Please try again later"
                        + " [#4.16.1].", "4.0.0", THROTTLE),
                // help.yahoo.com/kb/mail-for-desktop/SLN3444.html (deprioritized senders)
                row("451 VS1-IP Excessive unknown recipients - possible Open Relay (#4.1.8)", "4.0.0", BLOCK),
                // sfm 553.json, Yahoo Inc
                row("553 5.7.1 [BL21] Connections will not be accepted from 192.0.2.1, because the ip is in Spamhaus's"
                        + " list; see http://postmaster.yahoo.com/550-bl23.html", "5.7.1", BLOCK),
                // sfm 553.json, Yahoo Inc
                row("553 Mail from 192.0.2.1 not allowed - 5.7.1 [BL23] Connections not accepted from IP addresses on"
                        + " Spamhaus XBL; see http://postmaster.yahoo.com/errors/550-bl23.html [550]", "5.0.0", BLOCK),
                // sfm 554.json, Yahoo Inc; help.yahoo.com/kb/SLN7253.html says it is a failed SPF, DKIM or DMARC check
                row("554 5.7.9 Message not accepted for policy reasons. See https://postmaster.yahooinc.com/error-codes",
                        "5.7.9", AUTH),
                // sfm 554.json, Yahoo Inc
                row("554 delivery error: dd This user doesn't have a yahoo.com account (someone@yahoo.com) [-9]"
                        + " - example.yahoo.com", "5.0.0", HARD),
                // sfm 554.json, Yahoo Inc
                row("554 delivery error: dd Sorry, your message to someone@yahoo.com cannot be delivered. This mailbox"
                        + " is disabled (554.30). - example.yahoo.com", "5.0.0", HARD),
                // sfm 554.json, Yahoo Inc
                row("554 delivery error: dd someone@yahoo.com is no longer valid. [-20] - example.yahoo.com",
                        "5.0.0", HARD),
                // help.yahoo.com/l/in/yahoo/mail/original/abuse/abuse-57.html
                row("554 delivery error: dd Sorry, your message to someone@yahoo.com cannot be delivered. This account"
                        + " is over quota.", "5.0.0", SOFT),
                // sfm 554.json, Yahoo Inc
                row("554 Message not allowed - Headers are not RFC compliant[291]", "5.0.0", CONTENT),
                // sfm 552.json, Yahoo Inc: "1" is no enhanced status code
                row("552 1 Requested mail action aborted, mailbox not found", "5.0.0", HARD),
                // sfm 554.json, Yahoo Inc: nothing says why
                row("554 delivery error: dd Requested mail action aborted - example.yahoo.com", "5.0.0",
                        UNDETERMINED),

                // ---- Apple iCloud (icloud.com, me.com, mac.com)
                // sfm 550.json, Apple
                row("550 5.1.1 <someone@icloud.com>: user does not exist", "5.1.1", HARD),
                // sfm 550.json, Apple; smtp.codes/icloud
                row("550 5.7.1 [CS01] Message rejected due to local policy. Please visit"
                        + " https://support.apple.com/en-us/HT204137", "5.7.1", BLOCK),
                // sfm 550.json, Apple
                row("550 5.7.1 Your message was rejected due to example.com\u2019s DMARC policy. See"
                        + " https://support.apple.com/en-us/HT204137 for info", "5.7.1", AUTH),
                // sfm 550.json, Apple
                row("550 5.7.1 Your email was rejected due to having a domain present in the Spamhaus DBL -- see"
                        + " https://www.spamhaus.org/dbl/", "5.7.1", BLOCK),
                // sfm 421.json, Apple
                row("421 4.7.1 Messages to someone@icloud.com deferred due to excessive volume. Try again later"
                        + " - https://support.apple.com/en-us/HT204137", "4.7.1", THROTTLE),
                // sfm 451.json, Apple
                row("451 4.7.1 Service unavailable - try again later", "4.7.1", THROTTLE),
                // sfm 552.json, Apple
                row("552 5.2.2 <someone@icloud.com>: user is overquota", "5.2.2", SOFT),

                // ---- Proton Mail (few of its replies are quoted in public)
                // sfm 550.json, ProtonMail
                row("550 5.7.1 Rejected by spam filter", "5.7.1", BLOCK),

                // ---- GMX, WEB.DE, mail.com, 1&1 (United Internet): no enhanced status codes, by their own account
                // postmaster.gmx.com/en/error-messages (the whole multi-line reply)
                row("554-gmx.net (mxgmx104) Nemesis ESMTP Service not available\n"
                        + "554-No SMTP service\n"
                        + "554-IP address is block listed.\n"
                        + "554 For explanation visit https://postmaster.gmx.net/en/case?c=r0201&i=ip&v=198.51.100.42"
                        + "&r=1MNcgj-1ue23t3pyV-00S2YR", "5.0.0", BLOCK),
                // sfm 550.json, Web.de; smtp.codes/unitedinternet
                row("550 <someone@web.de>: Reject due to SPF policy. The originating IP of the message is not"
                        + " permitted by the domain owner", "5.0.0", AUTH),
                // sfm 550.json, Web.de
                row("550 <someone@web.de>: Requested action not taken: mailbox unavailable", "5.0.0", HARD),
                // sfm 550.json, Web.de
                row("550 <someone@web.de>: Bad DNS PTR resource record", "5.0.0", AUTH),
                // sfm 550.json, Web.de
                row("550 <someone@web.de>: Reject due to policy restrictions (IP based)", "5.0.0", BLOCK),
                // sfm 550.json, Web.de
                row("550 <someone@web.de>: Requested mail action aborted: exceeded storage allocation, Quota exceeded",
                        "5.0.0", SOFT),
                // sfm 550.json, Web.de
                row("550 <someone@web.de>: IP address is block listed", "5.0.0", BLOCK),
                // sfm 550.json, GMX
                row("550 Requested action not taken: mailbox unavailable", "5.0.0", HARD),
                // sfm 552.json, GMX
                row("552 Requested mail action aborted: exceeded storage allocation Quota exceeded.", "5.0.0", SOFT),
                // sfm 501.json, GMX: a refusal that says nothing of the recipient
                row("501 Syntax error in parameters or arguments", "5.0.0", UNDETERMINED),
                // help.1and1.com, "SMTP Error Messages for the 1&1 Mail Server"
                row("421 Rate limit reached. Please try again later", "4.0.0", THROTTLE),
                // help.1and1.com, "SMTP Error Messages for the 1&1 Mail Server"
                row("421 Reject due to policy violations", "4.0.0", BLOCK),
                // sitepackage.de, "Typische Fehlermeldungen bei Unzustellbarkeit" (WEB.DE)
                row("550 Benutzer hat das Speichervolumen ueberschritten. / User has exhausted allowed storage space.",
                        "5.0.0", SOFT),

                // ---- Orange (orange.fr, wanadoo.fr)
                // github.com/sisimai/p5-sisimai/issues/240; sfm 550.json, Orange
                row("550 5.1.1 Adresse d au moins un destinataire invalide. Invalid recipient. OFR_416 [416]", "5.1.1",
                        HARD),
                // github.com/sisimai/p5-sisimai/issues/240; sfm 552.json, Orange: 5.1.1 for a full mailbox
                row("552 5.1.1 Boite du destinataire pleine. Recipient overquota. OFR_417 [417]", "5.1.1", SOFT),
                // github.com/sisimai/p5-sisimai/issues/240
                row("550 5.2.0 Mail rejete. Mail rejected. ofr_506 [506]", "5.2.0", BLOCK),
                // github.com/sisimai/p5-sisimai/issues/240
                row("421 mwinf5c27 ME Trop de connexions, veuillez verifier votre configuration. Too many connections,"
                        + " slow down. OFR004_104 [104]", "4.0.0", THROTTLE),
                // github.com/ActiveCampaign/smtp-field-manual/pull/60
                row("550 mwinf5c14 ME Adresse IP source bloquee pour incident de spam. Client host blocked for spamming"
                        + " issues. OFR006_102 Ref http://csi.cloudmark.com/reset-request/?ip=192.0.2.1 [102]", "5.0.0",
                        BLOCK),
                // github.com/MieuxVoter/app.mieuxvoter.fr-front/issues/71; sfm 501.json, Orange
                row("501 5.1.0 Emetteur invalide. Invalid Sender. OFR004_405 [405]", "5.1.0", BLOCK),

                // ---- Comcast (comcast.net)
                // sfm 550.json, Comcast
                row("550 5.1.1 Not our Customer", "5.1.1", HARD),
                // sfm 550.json, Comcast
                row("550 5.1.1 <someone@comcast.net> recipient mailbox unallocated", "5.1.1", HARD),
                // sfm 550.json, Comcast
                row("550 5.2.0 Message rejected due to DMARC. Please see"
                        + " http://postmaster.comcast.net/smtp-error-codes.php#DM000001", "5.2.0", AUTH),
                // sfm 550.json, Comcast
                row("550 5.2.0 <someone@comcast.net> - Recipient unavailable", "5.2.0", HARD),
                // sfm 450.json, Comcast
                row("450 4.2.0 <someone@comcast.net> - Recipient temporarily unavailable", "4.2.0", SOFT),
                // sfm 452.json, Comcast
                row("452 4.1.1 <someone@comcast.net> too many recent messages; Try again later", "4.1.1", THROTTLE),
                // sfm 452.json, Comcast
                row("452 4.1.1 <someone@comcast.net> user over quota", "4.1.1", SOFT),
                // sfm 552.json, Comcast: 5.1.1 for a full mailbox
                row("552 5.1.1 <someone@comcast.net> recipient rejected - extended quota violation", "5.1.1", SOFT),
                // sfm 554.json, Comcast
                row("554 xx.comcast.net comcast 192.0.2.1 Comcast requires that all mail servers must"
                        + " have a PTR record with a valid Reverse DNS entry. Currently your mail server does not fill that"
                        + " requirement. For more information, refer to:"
                        + " http://postmaster.comcast.net/smtp-error-codes.php#554", "5.0.0", AUTH),
                // sfm 554.json, Comcast
                row("554 xx.comcast.net comcast 192.0.2.1 Comcast block for spam. Please see"
                        + " http://postmaster.comcast.net/smtp-error-codes.php#BL000000", "5.0.0", BLOCK),
                // postmaster.comcast.net/smtp-error-codes.php, "Non-Specific Error Codes"
                row("421 Too many sessions opened", "4.0.0", THROTTLE),
                // postmaster.comcast.net/smtp-error-codes.php, "Non-Specific Error Codes"
                row("421 Reverse DNS failure : Try again later", "4.0.0", AUTH),

                // ---- Blocklists, wherever they are consulted
                // help.kreativmedia.ch/fr/erreur-554-blocked (Spamhaus, with Postfix's wording)
                row("554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org", "5.7.1",
                        BLOCK),
                // luxsci.com/blog/?p=16857 (Barracuda)
                row("554 Service unavailable; Client host [server1.mail.com] blocked using Barracuda Reputation;"
                        + " http://bbl.barracudacentral.com/q.cgi?ip=192.168.1.1", "5.0.0", BLOCK),
                // knowledge.3essentials.com, article 232 (Spamcop)
                row("554 IP found in Spamcop Black List. Visit for more information", "5.0.0", BLOCK),
                // sfm 550.json, Proofpoint (Cloudmark)
                row("550 5.7.1 Service unavailable; client [192.0.2.1] blocked using Cloudmark Sender Intelligence"
                        + " (Visit http://csi.cloudmark.com/reset-request/ if you feel this is in error)", "5.7.1", BLOCK),
                // sfm 550.json, Exchange Online (Spamhaus)
                row("550 5.7.1 Service unavailable, Client host [192.0.2.1] blocked using Spamhaus. To request removal"
                        + " from this list see https://www.spamhaus.org/query/ip/192.0.2.1 (AS16012611)", "5.7.1", BLOCK));
    }

    static Arguments row(String reply, String status, BounceClass expected) {
        return Arguments.of(reply, status, expected);
    }

    @ParameterizedTest(name = "{1} {2}: {0}")
    @MethodSource("replies")
    void eachReplyGetsItsStatusAndClass(String reply, String status, BounceClass expected) {
        Reply parsed = parse(reply);
        String taken = parsed.status() == null ? parsed.code() / 100 + ".0.0" : parsed.status().toString();
        assertEquals(status, taken, "the enhanced status code taken from " + reply);
        assertEquals(expected, CLASSIFIER.classify(parsed), reply);
    }

    @Test
    void theTableHoldsAtLeastFiftyRepliesOfTheLargeProvidersAndEveryClass() {
        List<Arguments> rows = replies().toList();
        assertTrue(rows.size() >= 50, "rows: " + rows.size());
        for (BounceClass c : BounceClass.values()) {
            assertTrue(rows.stream().anyMatch(r -> r.get()[2] == c), "no row of class " + c);
        }
    }

    // the reply as the SMTP client reads it: one line after the other, its code checked, its status taken
    static Reply parse(String reply) {
        ReplyParser parser = new ReplyParser();
        String[] lines = reply.split("\n");
        for (int i = 0; i < lines.length - 1; i++) {
            assertInstanceOf(ReplyParser.Parsed.Partial.class, parser.feed(lines[i]), lines[i]);
        }
        return assertInstanceOf(ReplyParser.Parsed.Complete.class, parser.feed(lines[lines.length - 1])).reply();
    }
}
